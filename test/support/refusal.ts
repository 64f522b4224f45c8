/** The message `run` throws with; fails the test when it does not throw (the refusal a case expects was not made). */
export function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
}
