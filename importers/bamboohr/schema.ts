// zod schemas of the BambooHR API answers the BambooHR importer reads (employee directory, users with login access),
// with BambooHR's own field names. API keys are never returned by the API.
import { z } from 'zod';
import { emailText } from '../common/bounds.ts';
import { apiInstant } from '../common/records.ts';

export const bambooInstant = apiInstant;
const text = z.string().nullish();
const id = z.union([z.number().int(), z.string().min(1)]).transform((value) => String(value));
/**
 * Emails up to 320 characters (RFC 5321 allows 254 in a path). The bound matters: without --tenant or a workspace
 * folder, the one email domain the accounts share is the company, part of every node id the import makes.
 */
const email = emailText.nullish();

/** `GET /v1/employees/directory` -> `{fields[], employees[...]}`: the published directory. */
export const employeeSchema = z.object({
  id,
  displayName: text,
  firstName: text,
  lastName: text,
  workEmail: email,
  jobTitle: text,
  department: text,
  division: text,
  location: text,
  supervisor: text,
});

/** `GET /v1/meta/users` -> `{"<user id>": {...}}`: accounts that can sign in, and the employee each belongs to. */
export const userSchema = z.object({
  id,
  employeeId: id.nullish(),
  firstName: text,
  lastName: text,
  email,
  status: text,
  lastLogin: bambooInstant.nullish(),
});
