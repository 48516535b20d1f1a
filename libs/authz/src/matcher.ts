import { buildMongoQueryMatcher } from '@casl/ability';

type Interpreters = NonNullable<Parameters<typeof buildMongoQueryMatcher>[1]>;
type Interpreter = NonNullable<Interpreters['in']>;

/** Each `$in` list of the policy (ids: member cases, areas, cleared people) as a Set, built once. */
const sets = new WeakMap<readonly unknown[], Set<string> | null>();

function stringSet(values: readonly unknown[]): Set<string> | null {
  let set = sets.get(values);
  if (set === undefined) {
    set = values.every((value) => typeof value === 'string') ? new Set(values as string[]) : null;
    sets.set(values, set);
  }
  return set;
}

/**
 * `$in` as CASL's own `within` decides it, in constant time for a list of strings: CASL scans the
 * list, comparing each (a cached ability holds a user's member cases; with 100 of them a read
 * check took ~20 µs, most of it here). Other lists are scanned with CASL's comparison as before.
 */
const within: Interpreter = (
  condition: { field: string; value: readonly unknown[] },
  object,
  { get, compare },
) => {
  const values = condition.value;
  const set = stringSet(values);
  const test = set
    ? (item: unknown) => typeof item === 'string' && set.has(item)
    : (item: unknown) => values.some((value) => compare(value, item) === 0);
  const value = get(object, condition.field) as unknown;
  return Array.isArray(value) ? value.some(test) : test(value);
};

/** The policy's conditions matcher: CASL's MongoDB query matcher with a faster `$in`/`$nin`. */
export const conditionsMatcher = buildMongoQueryMatcher(
  {},
  { in: within, nin: (condition, object, context) => !within(condition, object, context) },
);
