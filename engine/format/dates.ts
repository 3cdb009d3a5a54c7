// Calendar-checked ISO-8601 instants for every input format: Date.parse rolls an impossible date over
// (2024-02-30 becomes 2024-03-01, 24:00 the next day), which would store an expiry nobody wrote.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Whether the date and time fields at the start of an ISO-8601 text name a real day and time of day. */
export function isCalendarDate(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) return false;
  const days = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > days) return false;
  if (match[4] !== undefined && Number(match[4]) > 23) return false;
  if (match[5] !== undefined && Number(match[5]) > 59) return false;
  if (match[6] !== undefined && Number(match[6]) > 59) return false;
  return true;
}

/** Milliseconds of an ISO-8601 date or date-time whose fields are all in range; NaN otherwise. */
export function calendarInstant(text: string): number {
  return isCalendarDate(text) ? Date.parse(text) : Number.NaN;
}
