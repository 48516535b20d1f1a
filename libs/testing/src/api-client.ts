import type { ProblemDetails, TokenResponse } from '@samverka/contracts';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Thin HTTP client for the end-to-end suite: real requests to a listening app. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined && typeof body !== 'string'
          ? { 'content-type': 'application/json' }
          : {}),
        ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
  patch<T = unknown>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = unknown>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** Signs in and returns the tokens; throws with the problem if sign-in fails. */
  async login(email: string, password: string): Promise<TokenResponse> {
    const response = await this.post<TokenResponse | ProblemDetails>('/api/v1/auth/login', {
      email,
      password,
    });
    if (response.status !== 200) {
      throw new Error(`login ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body as TokenResponse;
  }

  /** A client acting as the user: signs in once and sends the access token on every call. */
  async as(email: string, password: string): Promise<ApiClient> {
    const tokens = await this.login(email, password);
    return this.withToken(tokens.accessToken);
  }

  withToken(token: string): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }
}
