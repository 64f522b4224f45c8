/**
 * Counts every answer read back from a job's output, whoever reads it (a start-over's import, the check of an edited
 * export): vi.mock('../src/job/partial-answers.js', (importOriginal) => countedAnswers(importOriginal, counter)).
 */
type PartialAnswersModule = typeof import('../../src/job/partial-answers.js');

export async function countedAnswers(importOriginal: <T>() => Promise<T>, counter: { answers: number }): Promise<PartialAnswersModule> {
  const original = await importOriginal<PartialAnswersModule>();
  return {
    ...original,
    partialAnswers: async function* (...args: Parameters<PartialAnswersModule['partialAnswers']>) {
      for await (const row of original.partialAnswers(...args)) {
        counter.answers += 1;
        yield row;
      }
    },
  };
}
