// Which identifiers two records share, in words, from the backend's reasons.

/** "Same PNC id", "Same NHS number" or both; null when no identifier is shared. */
export function sharedIdentifiers(reasons: string[]): string | null {
  const pnc = reasons.some((r) => /PNC/i.test(r));
  const nhs = reasons.some((r) => /NHS/i.test(r));
  if (pnc && nhs) return "Same PNC id and NHS number";
  if (pnc) return "Same PNC id";
  if (nhs) return "Same NHS number";
  return null;
}
