// THE model of upgrade.ini: the one entry point the CLI, the language server
// and the upgrade server import. Pure functions first; the file checks (I/O)
// live in files.ts and load.ts.
export * from './types';
export { decodeBytes, decodeWindows1252, firstNonUtf8, type Decoded, type TextEncodingName } from './text';
export { LineMap, type Position } from './lineMap';
export { charAt, charLength, clipText, hasLoneSurrogate, printable } from './chars';
export { parseDocument, type TextChange } from './parser';
export { parseVersion, compareVersions, formatVersion, MAX_COMPONENT, MIN_VERSION, MAX_VERSION, nextVersion, previousVersion, scanVersion } from './version';
export { parseVersionSet, parseItem, findMatch, matchIndex, findRedundant, byLowerBound, compareItems, isEmptyItem, describeItem, type ParsedVersionSet } from './versionSet';
export { VersionSet, versionHigh, versionLow } from './versionSetStore';
export { coverageOf, firstFrom, gaps, isCovered, added, swallowed, whatItAdds, unionIntervals, boundsAbove, nextItemAbove, type Coverage, type Interval, type GapBound } from './coverage';
export { SCHEMA, findSection, findKey, defaultRollout, type SectionSchema, type KeySchema, type ValueType } from './schema';
export { parseBoolean, BOOLEAN_WORDS, addressProblem, type ReadContext, type ValueParser } from './values';
export { parseInstant, parseRate, parseDuration, formatRate, formatDuration, describeRate, MAX_RATE, type UnitParse } from './units';
export { patternCovers } from './names';
export { DAY_NAMES, describeWindow, formatTime, mergeIntervals, windowInside, findRedundantWindows, type WindowRedundancy } from './windows';
export { supportedTimeZones, suggestTimeZone } from './timeZones';
export { analyze, type Analysis, type AnalysisMemo } from './analyze';
export { checkFiles, sha256File, openInside, OpenInsideError, readHandle, resolveStateFile, type FileCheckResult, type HashCache, createHashCache } from './files';
export { documentEol, lineOfOffset } from './edits';
export { cannotRead, loadConfig, loadConfigText, readBounded, readBoundedSync, InputTooLargeError, MAX_INPUT_BYTES, type LoadedConfig } from './load';
export { decide, loginOf, isPaused, NO_ROLLOUT_COUNTS } from './decide';
export { bucketOf, canonicalVersion, nameMatches, matchName, inWindows, minuteOfWeek, wallClock, isKnownTimeZone, MINUTES_PER_WEEK, type WallClock } from './rollout';
export { applySuppressions } from './suppress';
export { suggest, editDistance } from './suggest';
export { closeFiles, nameSimilarity, MAX_FILE_SUGGESTIONS, type FileSuggestion } from './fileSuggest';
