import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { listRoutePolicies } from './route-policies.js';

/** Refuses to start an app in which any route lacks `@Policy()` or `@Public()`. */
@Injectable()
export class RoutePolicyCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const missing = listRoutePolicies(this.discovery, this.scanner, this.reflector).filter(
      (route) => !route.policy,
    );
    if (missing.length > 0) {
      throw new Error(
        `Routes without a declared policy (add @Policy() or @Public()):\n${missing
          .map((route) => `  ${route.method} ${route.path} (${route.handler})`)
          .join('\n')}`,
      );
    }
  }
}
