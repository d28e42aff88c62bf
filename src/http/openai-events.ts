import type { FastifyReply } from 'fastify';
import type { JobResult } from '../jobs/image-job.js';

/**
 * OpenAI's image edit streaming (`stream: true` on /v1/images/edits): server-sent events, each
 * `event: <type>` with the event as JSON in `data`, as the official `openai` clients read them
 * (`for await (const event of stream)`). The engines here make one picture, not progressive ones, so the
 * stream is the final `image_edit.completed` event; an engine with partial pictures would send
 * `image_edit.partial_image` events before it (`partial_image_index` from 0).
 *
 * Nothing is sent before the picture is ready, so a request that fails gets the ordinary HTTP error
 * (status and OpenAI's error body), which the clients raise before any event, as with OpenAI.
 */
export interface StreamSettings {
  /** As the client asked, echoed in every event (OpenAI's enums; `auto` when not asked). */
  size: string;
  quality: string;
  background: string;
  outputFormat: 'png' | 'jpeg' | 'webp';
}

export interface ImageEditCompletedEvent {
  type: 'image_edit.completed';
  b64_json: string;
  created_at: number;
  size: string;
  quality: string;
  background: string;
  output_format: string;
  /** OpenAI reports tokens; no tokens are used here, so every count is 0. */
  usage: {
    total_tokens: number;
    input_tokens: number;
    output_tokens: number;
    input_tokens_details: { text_tokens: number; image_tokens: number };
  };
}

export function completedEvent(result: JobResult, settings: StreamSettings): ImageEditCompletedEvent {
  return {
    type: 'image_edit.completed',
    b64_json: result.body.toString('base64'),
    created_at: Math.floor(Date.now() / 1000),
    // The answer's real size: `auto` became the input's size.
    size: settings.size === 'auto' ? `${result.width}x${result.height}` : settings.size,
    quality: settings.quality,
    background: settings.background,
    output_format: settings.outputFormat,
    usage: { total_tokens: 0, input_tokens: 0, output_tokens: 0, input_tokens_details: { text_tokens: 0, image_tokens: 0 } },
  };
}

/** One server-sent event: its type as the SSE event name, the event itself as the data line. */
export function serverSentEvent(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Answers with the events as `text/event-stream` (no caching, no proxy buffering). */
export function sendEvents(reply: FastifyReply, events: Array<{ type: string }>): FastifyReply {
  return reply
    .header('cache-control', 'no-cache')
    .header('x-accel-buffering', 'no')
    .type('text/event-stream; charset=utf-8')
    .send(events.map(serverSentEvent).join(''));
}
