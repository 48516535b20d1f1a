import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import type { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { RoutePolicy } from '@samverka/authz';
import { POLICY_KEY, PUBLIC_KEY } from './policy.decorator.js';

export interface RouteEntry {
  method: string;
  path: string;
  handler: string;
  policy: RoutePolicy | 'public' | null;
}

/** Every controller route with its declared policy (`null` when it has none). */
export function listRoutePolicies(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): RouteEntry[] {
  const entries: RouteEntry[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const controllerPaths = ([] as string[]).concat(
      (Reflect.getMetadata(PATH_METADATA, wrapper.metatype) as string | string[] | undefined) ?? '',
    );
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = (prototype as Record<string, unknown>)[name] as (
        ...args: unknown[]
      ) => unknown;
      const routePath = Reflect.getMetadata(PATH_METADATA, handler) as
        string | string[] | undefined;
      if (routePath === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [
        handler,
        wrapper.metatype,
      ]);
      const policy = reflector.getAllAndOverride<RoutePolicy>(POLICY_KEY, [
        handler,
        wrapper.metatype,
      ]);
      for (const base of controllerPaths) {
        for (const sub of ([] as string[]).concat(routePath)) {
          const path = `/${[base, sub].filter(Boolean).join('/')}`
            .replace(/\/+/g, '/')
            .replace(/(.)\/$/, '$1');
          entries.push({
            method,
            path,
            handler: `${wrapper.metatype.name}.${name}`,
            policy: isPublic ? 'public' : (policy ?? null),
          });
        }
      }
    }
  }
  return entries.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
