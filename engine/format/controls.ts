// Control characters made visible: text from inputs is shown on terminals and in reports without the bytes that
// would move the cursor, clear the screen or hide what follows. Apart from validate.ts so that printing an error
// needs none of the schemas.
/**
 * Control characters (C0 but tab and newline, DEL, C1) have no place in names from outside: in a terminal they
 * can move the cursor, rewrite earlier lines or set the title. They become U+FFFD at the import boundary, so
 * no output (text, markdown, SARIF, HTML) ever carries them.
 */
export function withoutControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}
