// Hand-written support for the generated validators (*-validators.ts): the
// shape of an error Ajv's standalone code reports, and the one-line text we
// show for it.

/** One failed schema keyword, as Ajv's standalone validators report it. */
export interface SchemaError {
  /** JSON pointer into the validated value ("" for the value itself). */
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Where a nested validator call sits inside the value being validated. */
export interface ValidateContext {
  instancePath?: string;
  parentData?: unknown;
  parentDataProperty?: string | number;
  rootData?: unknown;
}

/**
 * One line naming each failure by JSON pointer, e.g.
 * `/layers/0/digest: must match pattern "…"`. A `oneOf` failure reports
 * every branch it tried, so repeated lines are dropped.
 */
export function describeSchemaErrors(errors: readonly SchemaError[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'invalid (no detail reported)';
  const lines = errors.map((error) => `${error.instancePath || '(root)'}: ${error.message ?? error.keyword}`);
  return [...new Set(lines)].join('; ');
}
