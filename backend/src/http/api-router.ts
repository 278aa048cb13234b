import { Router, type RequestHandler } from 'express';

// A thin wrapper over express.Router that records every route, so tests (tenant isolation,
// fuzzing) and the OpenAPI document walk the real route table instead of a hand-kept list.
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteInfo {
  method: HttpMethod;
  path: string;
  summary: string;
}

export interface ApiRouter {
  router: Router;
  routes: RouteInfo[];
  route(method: HttpMethod, path: string, summary: string, ...handlers: RequestHandler[]): void;
}

export function createApiRouter(): ApiRouter {
  const router = Router();
  const routes: RouteInfo[] = [];
  return {
    router,
    routes,
    route(method, path, summary, ...handlers) {
      routes.push({ method, path, summary });
      router[method](path, ...handlers);
    },
  };
}
