// zod schemas of the Google Workspace Admin SDK objects the google-workspace importer reads, with Google's
// own field names. Unknown fields are accepted and ignored (the APIs grow); nothing secret is ever read.
import { z } from 'zod';
import { emailText } from '../common/bounds.ts';
import { calendarInstant } from '../../engine/format/dates.ts';

/** RFC 3339 times such as `2024-01-01T12:34:56.000Z` become UTC instants. */
export const googleInstant = z
  .string()
  .refine((text) => !Number.isNaN(calendarInstant(text)), { message: 'an RFC 3339 date-time on a real calendar day' })
  .transform((text) => new Date(Date.parse(text)).toISOString());

/** Directory API `users.list` (`GET admin/directory/v1/users?customer=my_customer`), one user. */
export const userSchema = z.object({
  id: z.string().min(1),
  // Up to 320 characters: the administrators' email domain is the tenant, part of every node id the import makes.
  primaryEmail: emailText.regex(/^[^@\s]+@[^@\s]+$/, { message: 'an email address' }),
  isAdmin: z.boolean(),
  isDelegatedAdmin: z.boolean().nullish(),
  suspended: z.boolean().nullish(),
  suspensionReason: z.string().nullish(),
  archived: z.boolean().nullish(),
  isEnrolledIn2Sv: z.boolean().nullish(),
  isEnforcedIn2Sv: z.boolean().nullish(),
  creationTime: googleInstant.nullish(),
  lastLoginTime: googleInstant.nullish(),
  orgUnitPath: z.string().nullish(),
  customerId: z.string().nullish(),
  name: z.object({ fullName: z.string().nullish(), givenName: z.string().nullish(), familyName: z.string().nullish() }).nullish(),
});
export type GoogleUser = z.output<typeof userSchema>;

/** Directory API `groups.list` (`GET admin/directory/v1/groups?customer=my_customer`), one group. */
export const groupSchema = z.object({
  id: z.string().min(1),
  email: z.string().regex(/^[^@\s]+@[^@\s]+$/, { message: 'an email address' }),
  name: z.string().nullish(),
  description: z.string().nullish(),
  directMembersCount: z.union([z.string(), z.number()]).nullish(),
  adminCreated: z.boolean().nullish(),
});
export type GoogleGroup = z.output<typeof groupSchema>;

/**
 * Directory API `members.list` item (`GET admin/directory/v1/groups/{groupKey}/members`): a user, a group, or the
 * whole customer (`type: CUSTOMER`, no email); `role` OWNER, MANAGER or MEMBER.
 */
export const memberSchema = z.object({
  id: z.string().nullish(),
  email: z.string().nullish(),
  role: z.string().nullish(),
  type: z.string().min(1),
  status: z.string().nullish(),
});
export type GoogleMember = z.output<typeof memberSchema>;

/** Directory API `tokens.list` item (`GET admin/directory/v1/users/{userKey}/tokens`): one app's grant for one user. */
export const tokenSchema = z.object({
  clientId: z.string().min(1),
  displayText: z.string().nullish(),
  scopes: z.array(z.string()),
  anonymous: z.boolean().nullish(),
  nativeApp: z.boolean().nullish(),
  /** The API repeats the user's id on each token; absent in some saved shapes, then the file or map key says. */
  userKey: z.string().nullish(),
});
export type GoogleToken = z.output<typeof tokenSchema>;

/** One Reports API parameter; values arrive under whichever key matches their type. */
const messageParameter = z.object({
  name: z.string(),
  value: z.string().nullish(),
  intValue: z.union([z.string(), z.number()]).nullish(),
  boolValue: z.boolean().nullish(),
  multiValue: z.array(z.string()).nullish(),
  multiIntValue: z.array(z.union([z.string(), z.number()])).nullish(),
});

export const activityParameterSchema = messageParameter.extend({
  messageValue: z.object({ parameter: z.array(messageParameter).nullish() }).nullish(),
  multiMessageValue: z.array(z.object({ parameter: z.array(messageParameter).nullish() })).nullish(),
});
export type ActivityParameter = z.output<typeof activityParameterSchema>;

/** Reports API `activities.list` for `applications/token`: one activity with its `authorize` / `revoke` / `activity` events. */
export const activitySchema = z.object({
  id: z.object({
    time: googleInstant,
    uniqueQualifier: z.union([z.string(), z.number()]).nullish(),
    applicationName: z.string().nullish(),
    customerId: z.string().nullish(),
  }),
  actor: z.object({
    email: z.string().nullish(),
    profileId: z.string().nullish(),
    callerType: z.string().nullish(),
  }).nullish(),
  events: z.array(z.object({
    type: z.string().nullish(),
    name: z.string().min(1),
    parameters: z.array(activityParameterSchema).nullish(),
  })),
});
export type GoogleActivity = z.output<typeof activitySchema>;

/**
 * One domain-wide delegation entry, written by hand from Admin console > Security > Access and data control >
 * API controls > Manage domain-wide delegation (there is no read API). `scopes` as an array, or the
 * comma-separated text the console shows.
 */
export const delegationSchema = z.object({
  clientId: z.string().regex(/^[A-Za-z0-9._-]+$/, { message: 'an OAuth client id (digits, or a ....apps.googleusercontent.com id)' }),
  scopes: z.union([z.array(z.string()), z.string()]),
  name: z.string().nullish(),
});
export type Delegation = z.output<typeof delegationSchema>;
