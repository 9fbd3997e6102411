/** A finding's (or a check problem's) whole text: the one-line message and the details behind it. */
export function fullText(f: { readonly message: string; readonly details?: string }): string {
  return f.details ? `${f.message} ${f.details}` : f.message;
}
