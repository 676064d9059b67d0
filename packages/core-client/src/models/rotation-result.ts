/** What `rotateSecret` did. */
export interface RotationResult {
  /** The rotated secret's path. */
  readonly path: string;
  /** Version holding the new value. */
  readonly newVersion: number;
  /** Version that held the old value, or `null` if the server did not say. */
  readonly oldVersion: number | null;
  /** When the old version stops being readable, or `null` when it stopped at once. */
  readonly expiresAt: Date | null;
  /** How long the old version stays readable, in seconds. */
  readonly gracePeriodSeconds: number;
}
