import { rulesToAST } from '@casl/ability/extra';
import type { Action, AppAbility, SubjectType } from './subjects.js';

/** A condition node as `rulesToAST` produces it (ucast). */
interface AstNode {
  operator: string;
  value: unknown;
  field?: string;
}

/** Placeholder for a bound parameter; the caller decides the syntax (`$1`, `:p1`, …). */
export type Bind = (value: unknown) => string;

/**
 * How one policy field becomes SQL: a column expression, or a builder for fields that are not
 * plain columns (e.g. "agencies linked to this person" is an EXISTS over a join table).
 */
export type FieldSql = string | ((operator: string, value: unknown, bind: Bind) => string);
export type FieldMap = Record<string, FieldSql>;

export class PolicyTranslationError extends Error {}

const COMPARISON: Record<string, string> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

function column(expr: string, operator: string, value: unknown, bind: Bind): string {
  if (operator in COMPARISON) {
    if (value === null) return operator === 'eq' ? `${expr} IS NULL` : `${expr} IS NOT NULL`;
    if (operator === 'ne') return `${expr} IS DISTINCT FROM ${bind(value)}`;
    return `${expr} ${COMPARISON[operator]} ${bind(value)}`;
  }
  if (operator === 'in' || operator === 'nin') {
    if (!Array.isArray(value)) throw new PolicyTranslationError(`$${operator} needs an array`);
    if (value.length === 0) return operator === 'in' ? 'FALSE' : 'TRUE';
    return operator === 'in'
      ? `${expr} = ANY(${bind(value)})`
      : `NOT (${expr} = ANY(${bind(value)}))`;
  }
  throw new PolicyTranslationError(`operator ${operator} has no SQL translation`);
}

/**
 * A translated condition: its SQL, a rough cost (plain column tests are cheap; mapped fields are
 * sub-queries) and, for AND/OR, its operands, so that the result can be simplified.
 */
interface Condition {
  sql: string;
  cost: number;
  op?: 'and' | 'or';
  parts?: Condition[];
}

const TRUE: Condition = { sql: 'TRUE', cost: 0 };
const FALSE: Condition = { sql: 'FALSE', cost: 0 };
const COLUMN_COST = 1;
const SUBQUERY_COST = 10;

const operands = (condition: Condition, op: 'and' | 'or') =>
  condition.op === op ? condition.parts! : [condition];

/** Operands without repeats (by SQL text: equal values share one placeholder), cheapest first. */
function distinctByCost(conditions: Condition[]): Condition[] {
  const seen = new Map<string, Condition>();
  for (const condition of conditions)
    if (!seen.has(condition.sql)) seen.set(condition.sql, condition);
  return [...seen.values()].sort((a, b) => a.cost - b.cost);
}

function and(conditions: Condition[]): Condition {
  const parts = distinctByCost(conditions.flatMap((c) => operands(c, 'and'))).filter(
    (c) => c !== TRUE && c.sql !== 'TRUE',
  );
  if (parts.some((c) => c.sql === 'FALSE')) return FALSE;
  if (parts.length === 0) return TRUE;
  if (parts.length === 1) return parts[0]!;
  return {
    sql: `(${parts.map((c) => c.sql).join(' AND ')})`,
    cost: parts.reduce((sum, c) => sum + c.cost, 0),
    op: 'and',
    parts,
  };
}

/**
 * OR of the arms, with the conditions several arms share taken out:
 * `(a AND x) OR (a AND y)` becomes `a AND (x OR y)` (valid in SQL's three-valued logic too), so
 * PostgreSQL tests a shared condition once per row instead of once per rule.
 */
function or(conditions: Condition[]): Condition {
  const arms = distinctByCost(conditions.flatMap((c) => operands(c, 'or'))).filter(
    (c) => c.sql !== 'FALSE',
  );
  if (arms.some((c) => c.sql === 'TRUE')) return TRUE;
  if (arms.length === 0) return FALSE;
  if (arms.length === 1) return arms[0]!;
  const conjuncts = arms.map((arm) => operands(arm, 'and'));
  const shared = new Map<string, { condition: Condition; arms: number }>();
  for (const list of conjuncts) {
    for (const condition of list) {
      const entry = shared.get(condition.sql) ?? { condition, arms: 0 };
      entry.arms += 1;
      shared.set(condition.sql, entry);
    }
  }
  const best = [...shared.values()].sort((a, b) => b.arms - a.arms)[0]!;
  if (best.arms >= 2) {
    const withIt: Condition[] = [];
    const without: Condition[] = [];
    conjuncts.forEach((list, i) => {
      if (list.some((c) => c.sql === best.condition.sql)) {
        withIt.push(and(list.filter((c) => c.sql !== best.condition.sql)));
      } else {
        without.push(arms[i]!);
      }
    });
    // Each step removes at least one repeated condition, so this ends.
    return or([and([best.condition, or(withIt)]), ...without]);
  }
  return {
    sql: `(${arms.map((c) => c.sql).join(' OR ')})`,
    cost: arms.reduce((sum, c) => sum + c.cost, 0),
    op: 'or',
    parts: arms,
  };
}

function translate(node: AstNode, fields: FieldMap, bind: Bind): Condition {
  switch (node.operator) {
    case 'and':
    case 'or': {
      const parts = (node.value as AstNode[]).map((child) => translate(child, fields, bind));
      return node.operator === 'and' ? and(parts) : or(parts);
    }
    case 'not': {
      const inner = node.value as AstNode[] | AstNode;
      const child = Array.isArray(inner)
        ? translate({ operator: 'and', value: inner }, fields, bind)
        : translate(inner, fields, bind);
      if (child.sql === 'TRUE') return FALSE;
      if (child.sql === 'FALSE') return TRUE;
      return { sql: `(NOT ${child.sql})`, cost: child.cost };
    }
    default: {
      const field = node.field;
      const mapping = field === undefined ? undefined : fields[field];
      if (mapping === undefined) {
        // Fail closed: a rule on a field the query does not know about must not be dropped.
        throw new PolicyTranslationError(`no SQL mapping for policy field "${String(field)}"`);
      }
      if (typeof mapping === 'string') {
        return { sql: column(mapping, node.operator, node.value, bind), cost: COLUMN_COST };
      }
      const sql = mapping(node.operator, node.value, bind);
      if (sql === 'TRUE' || sql === 'FALSE') return sql === 'TRUE' ? TRUE : FALSE;
      // Parenthesised: a mapping's SQL may be an OR, and it can end up alone beside an AND.
      return { sql: `(${sql})`, cost: SUBQUERY_COST };
    }
  }
}

/**
 * Placeholders in two steps. While translating, each distinct value gets one token (a rule set
 * repeats the principal's unit, municipality and member cases in many rules, and equal tokens are
 * what lets `or` see shared conditions). Only the tokens left in the simplified SQL are then bound,
 * so a value whose condition was simplified away is not passed as an unused parameter.
 */
class Tokens {
  readonly values: unknown[] = [];
  private readonly byKey = new Map<string, string>();

  readonly bind: Bind = (value) => {
    const key =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? `${typeof value}:${String(value)}`
        : Array.isArray(value) && value.every((item) => typeof item === 'string')
          ? `string[]:${JSON.stringify(value)}`
          : undefined;
    const known = key === undefined ? undefined : this.byKey.get(key);
    if (known) return known;
    const token = `\uE000${this.values.push(value) - 1}\uE000`;
    if (key !== undefined) this.byKey.set(key, token);
    return token;
  };
}

/** A translated rule set: SQL text around the tokens it kept, and the tokens' values. */
interface Translation {
  /** `texts.length === tokens.length + 1`: text, token, text, …, text. */
  texts: string[];
  tokens: number[];
  values: unknown[];
}

function translation(ast: AstNode, fields: FieldMap): Translation {
  const tokens = new Tokens();
  const pieces = translate(ast, fields, tokens.bind).sql.split(/\uE000(\d+)\uE000/);
  return {
    texts: pieces.filter((_, i) => i % 2 === 0),
    tokens: pieces.filter((_, i) => i % 2 === 1).map(Number),
    values: tokens.values,
  };
}

/**
 * Translations of each rule set (an ability's rules array; CASL replaces it on update), per
 * field map and action: a cached ability is translated once, and each request only binds.
 */
const translations = new WeakMap<object, WeakMap<FieldMap, Map<string, Translation | null>>>();

function cachedTranslation(
  ability: AppAbility,
  action: Action,
  subjectType: SubjectType,
  fields: FieldMap,
): Translation | null {
  let byFields = translations.get(ability.rules);
  if (!byFields) translations.set(ability.rules, (byFields = new WeakMap()));
  let byRule = byFields.get(fields);
  if (!byRule) byFields.set(fields, (byRule = new Map<string, Translation | null>()));
  const key = `${action} ${subjectType}`;
  let cached = byRule.get(key);
  if (cached === undefined) {
    const ast = rulesToAST(ability, action, subjectType) as AstNode | null;
    cached = ast ? translation(ast, fields) : null;
    byRule.set(key, cached);
  }
  return cached;
}

/**
 * The rows `ability` allows for `action` on `subjectType`, as a SQL boolean expression over the
 * query's own columns. `FALSE` when nothing is allowed: lists and searches filter in SQL from
 * the same rules that guard single records, never load-then-filter.
 */
export function accessibleWhere(
  ability: AppAbility,
  action: Action,
  subjectType: SubjectType,
  fields: FieldMap,
  bind: Bind,
): string {
  const cached = cachedTranslation(ability, action, subjectType, fields);
  if (!cached) return 'FALSE';
  const { texts, tokens, values } = cached;
  const placeholders = new Map<number, string>();
  let sql = texts[0]!;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    let placeholder = placeholders.get(token);
    if (placeholder === undefined) {
      placeholder = bind(values[token]);
      placeholders.set(token, placeholder);
    }
    sql += placeholder + texts[i + 1]!;
  }
  return sql;
}
