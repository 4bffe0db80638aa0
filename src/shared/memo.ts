/**
 * A pure function of one string with its recent results kept (least recently used out past
 * `maxEntries`). For the rule passes that one message asks of the same text several times over
 * (its title query, its volume number) and for words read from fixed data (a series' names, a
 * promotion's text): a function of the text alone, so nothing to invalidate. What is kept is
 * handed out as it is: only for results nobody changes (strings, numbers, frozen or read-only values).
 */
export function memoizeText<T>(fn: (text: string) => T, maxEntries: number): (text: string) => T {
  // Insertion order is recency order: a hit is deleted and set again.
  const kept = new Map<string, T>();
  return (text: string): T => {
    if (kept.has(text)) {
      const value = kept.get(text) as T;
      kept.delete(text);
      kept.set(text, value);
      return value;
    }
    const value = fn(text);
    kept.set(text, value);
    if (kept.size > maxEntries) kept.delete(kept.keys().next().value!);
    return value;
  };
}
