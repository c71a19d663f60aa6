export function requiredNodeMajor(): number;
export function nodeVersionProblem(version?: string, required?: number): string | undefined;
