/**
 * `map[key]` for a key that came from outside (a server's finish reason, an error code, a
 * name): only the map's own entries count, so `toString`, `constructor` or `__proto__` never
 * return an inherited function or object.
 */
export function ownValue<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}
