import { Controller, Get, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SOCKET_EVENTS } from '@samverka/contracts';
import { Public } from '../auth/policy.decorator.js';

class SocketEventMap {
  connect!: string;
  serverToClient!: Record<string, unknown>;
  clientToServer!: Record<string, unknown>;
}

/** The socket events and their payload types, beside the OpenAPI document (`/api/docs-json`). */
@ApiTags('realtime')
@Controller({ path: 'docs-realtime', version: VERSION_NEUTRAL })
export class RealtimeDocsController {
  @Get()
  @Public()
  @ApiOkResponse({
    type: SocketEventMap,
    description: 'Socket.io events (payload types are in the OpenAPI schemas)',
  })
  events(): SocketEventMap {
    return {
      connect:
        'socket.io at path /socket.io on the API’s port; send the access token as auth: { token }. A bad or expired token is refused at connect (connect_error); the socket closes when the token expires or the session ends (after a session.ended event). Every ack is { ok: true, data } or { ok: false, error: { status, title, detail, errors? } }, where the errors of a 400 name each field and why, as in the REST API.',
      serverToClient: SOCKET_EVENTS.serverToClient,
      clientToServer: SOCKET_EVENTS.clientToServer,
    };
  }
}
