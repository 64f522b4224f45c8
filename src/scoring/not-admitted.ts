/**
 * What RequestLimiter.scheduleIf resolves with when its admit check said no:
 * the turn was given up, nothing was sent. In a module of its own so that code
 * which only compares with it (the row scorer, also used by the embedded
 * backend) does not load the limiter and Bottleneck with it.
 */
export const NOT_ADMITTED = Symbol('not admitted');
