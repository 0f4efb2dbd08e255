// Versions (spec section 2): up to four numeric components, each 0-65535,
// missing ones 0, compared as numbers.
import type { Version } from './types';
import { charAt } from './chars';

export const MAX_COMPONENT = 65535;

export type VersionParse = { ok: true; version: Version } | { ok: false; problem: string };

/** Parses a version; `problem` says in plain words what is wrong. */
export function readVersion(text: string): VersionParse {
  const r = scanVersion(text, 0, text.length);
  return typeof r === 'string' ? { ok: false, problem: r } : { ok: true, version: r };
}

/** The components read by the last scanParts that succeeded: one scratch object, so that the hot path makes none. */
export const scannedParts = { a: 0, b: 0, c: 0, d: 0 };

/**
 * Scans text[start, end) as a version into `scannedParts` without making any
 * object or string: the hot path of a 20,000-item Patchable. Returns null,
 * or what is wrong. The one reading of a version: scanVersion and the compact
 * Patchable store (versionSetStore.ts) both go through it.
 */
export function scanParts(text: string, start: number, end: number): string | null {
  if (start >= end) return 'it is empty';
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let count = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const ch = i < end ? text.charCodeAt(i) : 46; /* '.' closes the last component */
    if (ch >= 48 && ch <= 57) {
      value = value * 10 + (ch - 48);
      if (++digits > 5) return 'a component is longer than 5 digits';
      continue;
    }
    if (ch !== 46) return ch === 42 ? 'it is a wildcard, not a single version' : `"${charAt(text, i)}" is not a digit or "."`;
    if (digits === 0) return 'it has an empty component';
    if (value > MAX_COMPONENT) return `component ${value} is over ${MAX_COMPONENT}`;
    switch (count++) {
      case 0: a = value; break;
      case 1: b = value; break;
      case 2: c = value; break;
      case 3: d = value; break;
      default: return 'it has more than four components';
    }
    value = 0;
    digits = 0;
  }
  scannedParts.a = a;
  scannedParts.b = b;
  scannedParts.c = c;
  scannedParts.d = d;
  return null;
}

/** Scans text[start, end) as a version. Returns the Version or what is wrong. */
export function scanVersion(text: string, start: number, end: number): Version | string {
  const problem = scanParts(text, start, end);
  if (problem !== null) return problem;
  const p = scannedParts;
  return { parts: [p.a, p.b, p.c, p.d], text: start === 0 && end === text.length ? text : text.slice(start, end) };
}

export function parseVersion(text: string): Version | null {
  const r = readVersion(text);
  return r.ok ? r.version : null;
}

export function compareVersions(a: Version, b: Version): number {
  const x = a.parts;
  const y = b.parts;
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || x[3] - y[3];
}

/** Canonical form: trailing zero components dropped, at least two kept (5.2, 5.10.3). */
export function formatVersion(v: Version): string {
  const p = v.parts;
  let n = 4;
  while (n > 2 && p[n - 1] === 0) n--;
  return p.slice(0, n).join('.');
}

export function makeVersion(parts: readonly [number, number, number, number]): Version {
  const v: Version = { parts, text: '' };
  return { parts, text: formatVersion(v) };
}

export const MIN_VERSION = makeVersion([0, 0, 0, 0]);
export const MAX_VERSION = makeVersion([MAX_COMPONENT, MAX_COMPONENT, MAX_COMPONENT, MAX_COMPONENT]);

/** The next version up, or null at the top of the space. */
export function nextVersion(v: Version): Version | null {
  const p = [...v.parts];
  for (let i = 3; i >= 0; i--) {
    if (p[i] < MAX_COMPONENT) {
      p[i]++;
      return makeVersion(p as unknown as Version['parts']);
    }
    p[i] = 0;
  }
  return null;
}

/** The next version down, or null at 0.0.0.0. */
export function previousVersion(v: Version): Version | null {
  const p = [...v.parts];
  for (let i = 3; i >= 0; i--) {
    if (p[i] > 0) {
      p[i]--;
      return makeVersion(p as unknown as Version['parts']);
    }
    p[i] = MAX_COMPONENT;
  }
  return null;
}
