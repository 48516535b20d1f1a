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

function translate(node: AstNode, fields: FieldMap, bind: Bind): string {
  switch (node.operator) {
    case 'and':
    case 'or': {
      const parts = (node.value as AstNode[]).map((child) => translate(child, fields, bind));
      if (parts.length === 0) return node.operator === 'and' ? 'TRUE' : 'FALSE';
      return `(${parts.join(node.operator === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'not': {
      const inner = node.value as AstNode[] | AstNode;
      const child = Array.isArray(inner)
        ? translate({ operator: 'and', value: inner }, fields, bind)
        : translate(inner, fields, bind);
      return `(NOT ${child})`;
    }
    default: {
      const field = node.field;
      const mapping = field === undefined ? undefined : fields[field];
      if (mapping === undefined) {
        // Fail closed: a rule on a field the query does not know about must not be dropped.
        throw new PolicyTranslationError(`no SQL mapping for policy field "${String(field)}"`);
      }
      return typeof mapping === 'string'
        ? column(mapping, node.operator, node.value, bind)
        : mapping(node.operator, node.value, bind);
    }
  }
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
  const ast = rulesToAST(ability, action, subjectType) as AstNode | null;
  if (!ast) return 'FALSE';
  return translate(ast, fields, bind);
}
