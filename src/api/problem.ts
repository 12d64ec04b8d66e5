import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, type ErrorCode } from '../errors/catalogue.js';
import { CrossdockError, type FieldProblem } from '../errors/crossdock-error.js';

/** RFC 9457 problem details, with crossdock's `code`, field `errors` and correlation id. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ErrorCode;
  action: string;
  correlationId?: string;
  errors?: FieldProblem[];
}

export function problemType(code: ErrorCode): string {
  return `urn:crossdock:problem:${code}`;
}

export function toProblem(error: CrossdockError, request?: FastifyRequest): Problem {
  const definition = ERRORS[error.code];
  const problem: Problem = {
    type: problemType(error.code),
    title: definition.title,
    status: definition.status,
    detail: error.message,
    code: error.code,
    action: definition.action,
  };
  if (request) {
    problem.instance = request.url;
    problem.correlationId = request.correlationId;
  }
  if (error.errors.length > 0) problem.errors = [...error.errors];
  return problem;
}

export function sendProblem(reply: FastifyReply, error: CrossdockError): FastifyReply {
  const problem = toProblem(error, reply.request);
  if (error.retryAfterMs !== undefined) reply.header('retry-after', Math.ceil(error.retryAfterMs / 1000));
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  parentSchema?: { description?: string };
}

/** Turns a schema validation failure into field problems named by JSON pointer. */
export function validationProblems(errors: readonly AjvError[], context: string): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const e of errors) {
    let pointer = e.instancePath || '';
    let detail = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      pointer = `${pointer}/${String(e.params.missingProperty)}`;
      detail = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      pointer = `${pointer}/${String(e.params.additionalProperty)}`;
      detail = 'is not a known field';
    } else if (e.keyword === 'enum' && e.parentSchema?.description) {
      detail = `must be a valid ${e.parentSchema.description}`;
    } else if (e.keyword === 'pattern' && e.parentSchema?.description) {
      detail = `must be ${e.parentSchema.description} (${detail})`;
    }
    const full = `${context === 'body' ? '' : `/${context}`}${pointer}` || '/';
    const key = `${full}|${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ pointer: full, detail });
  }
  return problems;
}

/** Maps whatever a route threw to a problem+json answer. */
export function problemFromError(error: FastifyError | Error, contentType?: string): CrossdockError {
  if (error instanceof CrossdockError) return error;
  const e = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (e.validation) {
    const errors = validationProblems(e.validation, e.validationContext ?? 'body');
    const summary = errors.map((p) => `${p.pointer} ${p.detail}`).join('; ');
    return new CrossdockError('request.invalid', summary, { errors });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new CrossdockError('request.unsupported-media-type', `content type ${JSON.stringify(contentType ?? '')} is not accepted; send application/json`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new CrossdockError('request.too-large', 'the request body exceeds the configured limit');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new CrossdockError('request.invalid-json', 'the request body is empty');
    default:
      if (e.statusCode === 404) return new CrossdockError('request.not-found', e.message);
      if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
        return new CrossdockError('request.invalid', e.message);
      }
      return new CrossdockError('internal.defect', 'unexpected error', { cause: error });
  }
}
