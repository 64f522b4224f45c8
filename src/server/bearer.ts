/**
 * Whether a request's Authorization header is `Bearer <token>`. Compared in constant time: `!==` stops at the first
 * byte that differs, so the time an answer takes tells how much of a guess was right. Both sides are hashed first, so
 * neither the length of the token nor that of the guess shows in the time either (timingSafeEqual wants equal lengths).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function bearerMatches(header: string | undefined, token: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(header ?? ''), digest(`Bearer ${token}`));
}
