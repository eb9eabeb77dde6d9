/** The tokens of the formula language. `pos` is the 0-based offset of the token's first character. */
export type Token =
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'string'; value: string; pos: number }
  /** `{Field Name}` with escapes resolved; `text` is the field name or id. */
  | { kind: 'field'; text: string; pos: number }
  /** A bare word: a function name when followed by `(`, otherwise a field name. */
  | { kind: 'identifier'; text: string; pos: number }
  | { kind: 'operator'; op: Operator; pos: number }
  | { kind: '('; pos: number }
  | { kind: ')'; pos: number }
  | { kind: ','; pos: number }
  | { kind: 'end'; pos: number };

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';
export type Operator = ComparisonOperator | '+' | '-' | '*' | '/' | '&';
