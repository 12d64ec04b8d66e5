import Type from 'typebox';

export const ProblemSchema = Type.Object(
  {
    type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.String(),
    instance: Type.Optional(Type.String()), code: Type.String(), action: Type.String(),
    correlationId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ pointer: Type.String(), detail: Type.String() }))),
  },
  { description: 'RFC 9457 problem details' },
);

export const ErrorRecordSchema = Type.Object({
  code: Type.String(), kind: Type.String(), message: Type.String(), action: Type.String(),
  target: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ pointer: Type.String(), detail: Type.String() }))),
  context: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const AcceptedSchema = Type.Object({
  orderId: Type.String(), correlationId: Type.String(), status: Type.String(), location: Type.String(),
});
