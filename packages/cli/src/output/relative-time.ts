const UNITS: readonly [limitSeconds: number, unitSeconds: number, name: string][] = [
  [90, 1, "s"],
  [90 * 60, 60, "min"],
  [36 * 3600, 3600, "h"],
  [Number.POSITIVE_INFINITY, 86_400, "d"],
];

/** "in 14 min", "3 h ago", "now": a time as a person at a terminal reads it. */
export function relativeTime(date: Date, now: Date = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const magnitude = Math.abs(seconds);
  if (magnitude < 2) return "now";
  const [, unit, name] = UNITS.find(([limit]) => magnitude < limit) ?? UNITS[UNITS.length - 1]!;
  const amount = Math.round(magnitude / unit);
  return seconds > 0 ? `in ${amount} ${name}` : `${amount} ${name} ago`;
}

/** Seconds as "4:59" (minutes:seconds) or "1:02:03", for countdowns. */
export function clockDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}
