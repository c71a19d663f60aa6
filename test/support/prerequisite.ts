// A test that needs a tool or ../shared says so and skips on a person's machine without it; in CI
// (CI=true) every prerequisite is installed, so there it never skips: a missing one fails the test.
export const missing = (present: boolean): boolean => !present && process.env['CI'] !== 'true';
