// Package webpush is the receiving side of Web Push as Mastodon uses it:
// the keys a push subscription is created with, decryption of the messages
// the server sends (the standard "aes128gcm" coding of RFC 8188 and
// RFC 8291, and the older "aesgcm" draft coding), and the check of the
// server's VAPID signature (RFC 8292, or the draft "WebPush" scheme).
//
// It sends no request and knows nothing of Mastodon's API: subscribe with
// mastodon.Client's Push.Subscribe, giving it Keys.PublicKey and
// Keys.AuthSecret, and decode the decrypted payload with
// mastodon.ParsePushNotification.
package webpush

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Mastodon encrypts each push message for the subscription's P-256 key and
// auth secret, with "aes128gcm" for subscriptions created with
// standard=true and "aesgcm" otherwise, whose salt and sender key travel in
// the Encryption and Crypto-Key headers.

// MaxMessageSize is the largest encrypted push body this package
// decrypts. Push services cap messages at 4096 bytes; the limit leaves room
// for services that allow more while keeping a hostile body small.
const MaxMessageSize = 64 << 10

const (
	pushKeyLen     = 65 // uncompressed P-256 point
	pushAuthLen    = 16
	pushSaltLen    = 16
	pushTagLen     = 16
	pushNonceLen   = 12
	pushDefaultRS  = 4096 // aesgcm record size when Encryption gives none
	aes128gcmHdr   = 21   // salt(16) rs(4) idlen(1)
	aes128gcmMinRS = 18   // tag + delimiter + one byte, RFC 8188 section 2
)

// Errors reported by this package, matchable with errors.Is. Each comes
// wrapped in an *Error that says what exactly was wrong.
var (
	// ErrKey: key material that cannot be used (bad encoding, wrong
	// length, not a P-256 point).
	ErrKey = errors.New("invalid push key")
	// ErrMalformed: a push message or its headers are not well formed
	// (truncated, bad record size, bad padding, missing salt).
	ErrMalformed = errors.New("malformed push message")
	// ErrAuth: the message does not authenticate under these keys: it
	// was encrypted for another subscription or altered on the way.
	ErrAuth = errors.New("push message does not authenticate")
	// ErrTooLarge: the message or one of its records is larger than
	// MaxMessageSize.
	ErrTooLarge = errors.New("push message too large")
	// ErrVAPID: the request's VAPID signature is missing, malformed, made
	// with another key, expired or for another audience.
	ErrVAPID = errors.New("invalid VAPID signature")
)

// Error is the error this package returns. Kind is one of the Err…
// sentinels; errors.Is matches it. The message never contains key
// material.
type Error struct {
	Kind   error
	Detail string
	Err    error // underlying cause, if any
}

func (e *Error) Error() string {
	msg := "webpush: " + e.Kind.Error()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Is reports whether target is the error's kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

func pushErr(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// Keys are a Web Push subscription's private key and auth secret: what a
// program needs to read the push messages the server sends it. Create them
// with GenerateKeys, give the server PublicKey and AuthSecret when
// subscribing (as mastodon.PushSubscriptionKeys), and keep them
// (MarshalText, ParseKeys) for as long as the subscription lives. Printing
// Keys with fmt or slog shows only the public key.
type Keys struct {
	priv *ecdh.PrivateKey
	auth [pushAuthLen]byte
}

// GenerateKeys makes a new P-256 key pair and 16-byte auth secret from
// crypto/rand.
func GenerateKeys() (*Keys, error) {
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return nil, &Error{Kind: ErrKey, Detail: "generating key", Err: err}
	}
	k := &Keys{priv: priv}
	if _, err := io.ReadFull(rand.Reader, k.auth[:]); err != nil {
		return nil, &Error{Kind: ErrKey, Detail: "generating auth secret", Err: err}
	}
	return k, nil
}

// NewKeys builds Keys from a raw 32-byte P-256 private scalar and a
// 16-byte auth secret. For a private key kept as an integer, as Mastodon.py
// keeps it, use KeysFromInt.
func NewKeys(privateKey, authSecret []byte) (*Keys, error) {
	priv, err := ecdh.P256().NewPrivateKey(privateKey)
	if err != nil {
		return nil, pushErr(ErrKey, "private key is not a P-256 scalar (%d bytes)", len(privateKey))
	}
	if len(authSecret) != pushAuthLen {
		return nil, pushErr(ErrKey, "auth secret is %d bytes, want %d", len(authSecret), pushAuthLen)
	}
	k := &Keys{priv: priv}
	copy(k.auth[:], authSecret)
	return k, nil
}

// KeysFromInt builds Keys from a private key given as an integer, the
// form Mastodon.py's push_subscription_generate_keys stores ('privkey').
func KeysFromInt(privateKey *big.Int, authSecret []byte) (*Keys, error) {
	if privateKey == nil || privateKey.Sign() <= 0 || privateKey.BitLen() > 256 {
		return nil, pushErr(ErrKey, "private key integer out of range")
	}
	return NewKeys(privateKey.FillBytes(make([]byte, 32)), authSecret)
}

// PublicKey is the subscription's public key (the "p256dh" key) as the push
// subscription API takes it: the uncompressed P-256 point in URL-safe base64
// without padding.
func (k *Keys) PublicKey() string {
	return base64.RawURLEncoding.EncodeToString(k.priv.PublicKey().Bytes())
}

// AuthSecret is the subscription's auth secret (the "auth" key) in URL-safe
// base64 without padding. The server needs it to encrypt; keep it private
// otherwise.
func (k *Keys) AuthSecret() string {
	return base64.RawURLEncoding.EncodeToString(k.auth[:])
}

// PublicKeyBytes is the uncompressed P-256 public point (65 bytes).
func (k *Keys) PublicKeyBytes() []byte { return k.priv.PublicKey().Bytes() }

// AuthSecretBytes is a copy of the 16-byte auth secret.
func (k *Keys) AuthSecretBytes() []byte { return bytes.Clone(k.auth[:]) }

// PrivateKeyBytes is a copy of the 32-byte private scalar.
func (k *Keys) PrivateKeyBytes() []byte { return k.priv.Bytes() }

const pushKeysTextPrefix = "webpush-p256:"

// MarshalText stores the keys as one line of text,
// "webpush-p256:<private key>:<auth secret>" (both URL-safe base64), which
// ParseKeys and UnmarshalText read back. The text is a secret: store it
// as you would a password. It also makes Keys a JSON string field.
func (k Keys) MarshalText() ([]byte, error) {
	if k.priv == nil {
		return nil, pushErr(ErrKey, "no keys to marshal")
	}
	enc := base64.RawURLEncoding
	return []byte(pushKeysTextPrefix + enc.EncodeToString(k.priv.Bytes()) + ":" + enc.EncodeToString(k.auth[:])), nil
}

// UnmarshalText reads the form MarshalText writes.
func (k *Keys) UnmarshalText(text []byte) error {
	parsed, err := ParseKeys(string(text))
	if err != nil {
		return err
	}
	*k = *parsed
	return nil
}

// ParseKeys reads keys stored by MarshalText.
func ParseKeys(s string) (*Keys, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), pushKeysTextPrefix)
	if !ok {
		return nil, pushErr(ErrKey, "stored keys do not start with %q", pushKeysTextPrefix)
	}
	privText, authText, ok := strings.Cut(rest, ":")
	if !ok {
		return nil, pushErr(ErrKey, "stored keys lack the auth secret")
	}
	priv, err := decodePushBase64(privText)
	if err != nil {
		return nil, &Error{Kind: ErrKey, Detail: "stored private key is not base64", Err: err}
	}
	auth, err := decodePushBase64(authText)
	if err != nil {
		return nil, &Error{Kind: ErrKey, Detail: "stored auth secret is not base64", Err: err}
	}
	return NewKeys(priv, auth)
}

// String shows the public key only. The printing methods have value
// receivers so that neither Keys nor *Keys prints its secrets.
func (k Keys) String() string {
	if k.priv == nil {
		return "webpush.Keys(<empty>)"
	}
	return "webpush.Keys(public " + k.PublicKey() + ", private key and auth secret redacted)"
}

// GoString shows the public key only, for %#v.
func (k Keys) GoString() string { return k.String() }

// LogValue keeps the secrets out of slog output.
func (k Keys) LogValue() slog.Value {
	if k.priv == nil {
		return slog.StringValue("<empty>")
	}
	return slog.GroupValue(slog.String("public_key", k.PublicKey()), slog.String("secrets", "redacted"))
}

// Format prints the same as String whatever the verb, so no verb can reveal
// the private key.
func (k Keys) Format(f fmt.State, _ rune) { io.WriteString(f, k.String()) }

// decodePushBase64 accepts base64 in either alphabet, padded or not: the
// forms key material takes across servers and libraries.
func decodePushBase64(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, "=")
	s = strings.NewReplacer("+", "-", "/", "_").Replace(s)
	return base64.RawURLEncoding.DecodeString(s)
}

// DecryptRequest reads and decrypts a push request as it reached the
// program's endpoint, choosing the coding from its headers as Decrypt does,
// and returns the plaintext: for Mastodon, a JSON object that
// mastodon.ParsePushNotification decodes. It reads at most MaxMessageSize
// bytes of the body. It does not check the VAPID signature; call
// VerifyVAPID for that.
func (k *Keys) DecryptRequest(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, pushErr(ErrMalformed, "request has no body")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxMessageSize+1))
	if err != nil {
		return nil, &Error{Kind: ErrMalformed, Detail: "reading body", Err: err}
	}
	return k.Decrypt(r.Header, body)
}

// Decrypt decrypts a push message body using the headers it came with and
// returns the plaintext. The Content-Encoding header picks the coding:
// "aes128gcm" or "aesgcm" (which reads the Encryption and Crypto-Key
// headers). Without Content-Encoding, an Encryption header means aesgcm and
// its absence aes128gcm.
func (k *Keys) Decrypt(header http.Header, body []byte) ([]byte, error) {
	enc := strings.ToLower(strings.TrimSpace(header.Get("Content-Encoding")))
	if enc == "" {
		if header.Get("Encryption") != "" {
			enc = "aesgcm"
		} else {
			enc = "aes128gcm"
		}
	}
	switch enc {
	case "aes128gcm":
		return k.DecryptAES128GCM(body)
	case "aesgcm":
		// Several header lines are one comma-separated list.
		return k.DecryptAESGCM(body, strings.Join(header.Values("Encryption"), ","), strings.Join(header.Values("Crypto-Key"), ","))
	default:
		return nil, pushErr(ErrMalformed, "unsupported Content-Encoding %q", truncateForError(enc))
	}
}

// DecryptAES128GCM decrypts a message in the standard "aes128gcm" coding
// (RFC 8188 with the RFC 8291 key derivation): the salt, record size and
// sender key come in the body's header.
func (k *Keys) DecryptAES128GCM(body []byte) ([]byte, error) {
	if k == nil || k.priv == nil {
		return nil, pushErr(ErrKey, "no keys")
	}
	if len(body) > MaxMessageSize {
		return nil, pushErr(ErrTooLarge, "%d bytes, limit %d", len(body), MaxMessageSize)
	}
	if len(body) < aes128gcmHdr {
		return nil, pushErr(ErrMalformed, "truncated header: %d bytes", len(body))
	}
	salt := body[:pushSaltLen]
	rs := binary.BigEndian.Uint32(body[16:20])
	idlen := int(body[20])
	if rs < aes128gcmMinRS {
		return nil, pushErr(ErrMalformed, "record size %d is below the minimum %d", rs, aes128gcmMinRS)
	}
	if len(body) < aes128gcmHdr+idlen {
		return nil, pushErr(ErrMalformed, "truncated header: key id of %d bytes but %d remain", idlen, len(body)-aes128gcmHdr)
	}
	if idlen != pushKeyLen {
		return nil, pushErr(ErrKey, "sender key id is %d bytes, want a %d-byte P-256 point", idlen, pushKeyLen)
	}
	senderRaw := body[aes128gcmHdr : aes128gcmHdr+idlen]
	sender, err := ecdh.P256().NewPublicKey(senderRaw)
	if err != nil {
		return nil, pushErr(ErrKey, "sender key is not a P-256 point")
	}
	shared, err := k.priv.ECDH(sender)
	if err != nil {
		return nil, &Error{Kind: ErrKey, Detail: "key agreement", Err: err}
	}
	info := make([]byte, 0, 14+2*pushKeyLen)
	info = append(info, "WebPush: info\x00"...)
	info = append(info, k.priv.PublicKey().Bytes()...)
	info = append(info, senderRaw...)
	ikm, err := hkdf.Key(sha256.New, shared, k.auth[:], string(info), 32)
	if err != nil {
		return nil, &Error{Kind: ErrKey, Detail: "key derivation", Err: err}
	}
	aead, nonce, err := contentKeys(ikm, salt, "Content-Encoding: aes128gcm\x00", "Content-Encoding: nonce\x00")
	if err != nil {
		return nil, err
	}
	records := body[aes128gcmHdr+idlen:]
	if len(records) == 0 {
		return nil, pushErr(ErrMalformed, "no records after the header")
	}
	out := make([]byte, 0, len(records))
	for seq := uint64(0); len(records) > 0; seq++ {
		n := len(records)
		if uint64(n) > uint64(rs) {
			n = int(rs)
		}
		rec := records[:n]
		records = records[n:]
		last := len(records) == 0
		if len(rec) < pushTagLen+1 {
			return nil, pushErr(ErrMalformed, "record %d truncated to %d bytes", seq, len(rec))
		}
		plain, err := aead.Open(rec[:0:0], recordNonce(nonce, seq), rec, nil)
		if err != nil {
			return nil, pushErr(ErrAuth, "record %d: wrong keys or altered message", seq)
		}
		// The record ends in a delimiter (1, or 2 for the last record)
		// followed by zero or more zero bytes of padding.
		i := len(plain) - 1
		for i >= 0 && plain[i] == 0 {
			i--
		}
		if i < 0 {
			return nil, pushErr(ErrMalformed, "record %d: padding without a delimiter", seq)
		}
		want := byte(1)
		if last {
			want = 2
		}
		if plain[i] != want {
			if plain[i] == 1 && last {
				return nil, pushErr(ErrMalformed, "record %d: message truncated (last record is not marked final)", seq)
			}
			return nil, pushErr(ErrMalformed, "record %d: padding delimiter %d, want %d", seq, plain[i], want)
		}
		out = append(out, plain[:i]...)
	}
	return out, nil
}

// DecryptAESGCM decrypts a message in the legacy "aesgcm" coding
// (draft-ietf-webpush-encryption-04), which Mastodon uses for subscriptions
// not marked standard. encryption and cryptoKey are the values of the
// Encryption header (salt, optional rs) and the Crypto-Key header (dh, the
// sender's key).
func (k *Keys) DecryptAESGCM(body []byte, encryption, cryptoKey string) ([]byte, error) {
	if k == nil || k.priv == nil {
		return nil, pushErr(ErrKey, "no keys")
	}
	if len(body) > MaxMessageSize {
		return nil, pushErr(ErrTooLarge, "%d bytes, limit %d", len(body), MaxMessageSize)
	}
	encParams := pickHeaderParams(encryption, "salt", "")
	if encParams == nil {
		return nil, pushErr(ErrMalformed, "Encryption header has no salt")
	}
	salt, err := decodePushBase64(encParams["salt"])
	if err != nil || len(salt) != pushSaltLen {
		return nil, pushErr(ErrMalformed, "Encryption salt is not %d bytes of base64", pushSaltLen)
	}
	rs := uint64(pushDefaultRS)
	if v, ok := encParams["rs"]; ok {
		rs, err = strconv.ParseUint(v, 10, 32)
		if err != nil || rs < 2 {
			return nil, pushErr(ErrMalformed, "Encryption record size %q is not a number of at least 2", truncateForError(v))
		}
	}
	keyParams := pickHeaderParams(cryptoKey, "dh", encParams["keyid"])
	if keyParams == nil {
		return nil, pushErr(ErrMalformed, "Crypto-Key header has no dh key")
	}
	senderRaw, err := decodePushBase64(keyParams["dh"])
	if err != nil || len(senderRaw) != pushKeyLen {
		return nil, pushErr(ErrKey, "Crypto-Key dh is not a %d-byte P-256 point in base64", pushKeyLen)
	}
	sender, err := ecdh.P256().NewPublicKey(senderRaw)
	if err != nil {
		return nil, pushErr(ErrKey, "Crypto-Key dh is not a P-256 point")
	}
	shared, err := k.priv.ECDH(sender)
	if err != nil {
		return nil, &Error{Kind: ErrKey, Detail: "key agreement", Err: err}
	}
	ikm, err := hkdf.Key(sha256.New, shared, k.auth[:], "Content-Encoding: auth\x00", 32)
	if err != nil {
		return nil, &Error{Kind: ErrKey, Detail: "key derivation", Err: err}
	}
	// The context names the curve and both public keys, receiver first.
	recv := k.priv.PublicKey().Bytes()
	context := make([]byte, 0, 6+4+2*pushKeyLen)
	context = append(context, "P-256\x00"...)
	context = binary.BigEndian.AppendUint16(context, uint16(len(recv)))
	context = append(context, recv...)
	context = binary.BigEndian.AppendUint16(context, uint16(len(senderRaw)))
	context = append(context, senderRaw...)
	aead, nonce, err := contentKeys(ikm, salt,
		"Content-Encoding: aesgcm\x00"+string(context),
		"Content-Encoding: nonce\x00"+string(context))
	if err != nil {
		return nil, err
	}
	if len(body) == 0 {
		return nil, pushErr(ErrMalformed, "empty body")
	}
	chunk := rs + pushTagLen
	out := make([]byte, 0, len(body))
	records := body
	for seq := uint64(0); len(records) > 0; seq++ {
		n := len(records)
		if uint64(n) > chunk {
			n = int(chunk)
		}
		rec := records[:n]
		records = records[n:]
		if len(records) == 0 && uint64(n) == chunk {
			// A sender must end with a short record, so a full last
			// record means the stream was cut at a record boundary.
			return nil, pushErr(ErrMalformed, "message truncated (last record is full-sized)")
		}
		if len(rec) < pushTagLen+2 {
			return nil, pushErr(ErrMalformed, "record %d truncated to %d bytes", seq, len(rec))
		}
		plain, err := aead.Open(rec[:0:0], recordNonce(nonce, seq), rec, nil)
		if err != nil {
			return nil, pushErr(ErrAuth, "record %d: wrong keys or altered message", seq)
		}
		pad := int(binary.BigEndian.Uint16(plain))
		if 2+pad > len(plain) {
			return nil, pushErr(ErrMalformed, "record %d: padding length %d exceeds the record", seq, pad)
		}
		for _, b := range plain[2 : 2+pad] {
			if b != 0 {
				return nil, pushErr(ErrMalformed, "record %d: non-zero padding", seq)
			}
		}
		out = append(out, plain[2+pad:]...)
	}
	return out, nil
}

// contentKeys derives the AES-128-GCM key and base nonce of an encrypted
// content coding from its input keying material and salt.
func contentKeys(ikm, salt []byte, keyInfo, nonceInfo string) (cipher.AEAD, []byte, error) {
	cek, err := hkdf.Key(sha256.New, ikm, salt, keyInfo, 16)
	if err != nil {
		return nil, nil, &Error{Kind: ErrKey, Detail: "key derivation", Err: err}
	}
	nonce, err := hkdf.Key(sha256.New, ikm, salt, nonceInfo, pushNonceLen)
	if err != nil {
		return nil, nil, &Error{Kind: ErrKey, Detail: "nonce derivation", Err: err}
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, nil, &Error{Kind: ErrKey, Detail: "cipher", Err: err}
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, nil, &Error{Kind: ErrKey, Detail: "cipher", Err: err}
	}
	return aead, nonce, nil
}

// recordNonce is the base nonce with the record's sequence number XORed into
// its last eight bytes (RFC 8188 section 2.3).
func recordNonce(base []byte, seq uint64) []byte {
	n := bytes.Clone(base)
	binary.BigEndian.PutUint64(n[4:], binary.BigEndian.Uint64(n[4:])^seq)
	return n
}

// parseHeaderParams splits a header of the Encryption / Crypto-Key form,
// comma-separated entries of semicolon-separated name=value parameters,
// values optionally quoted.
func parseHeaderParams(v string) []map[string]string {
	var entries []map[string]string
	for entry := range strings.SplitSeq(v, ",") {
		params := map[string]string{}
		for p := range strings.SplitSeq(entry, ";") {
			name, value, ok := strings.Cut(p, "=")
			if !ok {
				continue
			}
			name = strings.ToLower(strings.TrimSpace(name))
			value = strings.Trim(strings.TrimSpace(value), `"`)
			if _, dup := params[name]; !dup {
				params[name] = value
			}
		}
		if len(params) > 0 {
			entries = append(entries, params)
		}
	}
	return entries
}

// pickHeaderParams returns the first entry that has the parameter want,
// preferring one whose keyid matches keyid when keyid is set.
func pickHeaderParams(v, want, keyid string) map[string]string {
	var first map[string]string
	for _, p := range parseHeaderParams(v) {
		if _, ok := p[want]; !ok {
			continue
		}
		if keyid == "" || p["keyid"] == keyid {
			return p
		}
		if first == nil {
			first = p
		}
	}
	return first
}

func truncateForError(s string) string {
	const max = 40
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

// VAPIDClaims are what a verified VAPID token says.
type VAPIDClaims struct {
	Audience string    // origin of the push endpoint the token was made for
	Subject  string    // contact for the server's operator (mailto: or https:)
	Expires  time.Time // after this the token is no longer valid
	Key      string    // the signing key, URL-safe base64
}

// VAPIDOptions tune VerifyVAPID. The zero value checks signature, key and
// expiry against the system clock.
type VAPIDOptions struct {
	// Audience, when set, must equal the token's aud claim: the origin
	// (scheme://host[:port]) of the endpoint you subscribed with.
	Audience string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Leeway tolerates clock skew when checking expiry.
	Leeway time.Duration
}

// maxVAPIDLifetime is how far ahead a token's expiry may lie (RFC 8292
// section 2).
const maxVAPIDLifetime = 24 * time.Hour

// VerifyVAPID checks that a push request was signed by the server whose VAPID
// public key is serverKey (the instance's configuration.vapid.public_key, or
// the server_key of the push subscription). It reads the Authorization header
// in either scheme Mastodon uses: "vapid t=…, k=…" (RFC 8292, standard
// subscriptions) or "WebPush <token>" with the key in the Crypto-Key header's
// p256ecdsa parameter (legacy subscriptions).
func VerifyVAPID(header http.Header, serverKey string, opts *VAPIDOptions) (*VAPIDClaims, error) {
	var o VAPIDOptions
	if opts != nil {
		o = *opts
	}
	keyRaw, err := decodePushBase64(serverKey)
	if err != nil || len(keyRaw) != pushKeyLen {
		return nil, pushErr(ErrKey, "server VAPID key is not a %d-byte P-256 point in base64", pushKeyLen)
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), keyRaw)
	if err != nil {
		return nil, pushErr(ErrKey, "server VAPID key is not a P-256 point")
	}

	auth := strings.TrimSpace(header.Get("Authorization"))
	scheme, rest, _ := strings.Cut(auth, " ")
	var token, headerKey string
	switch strings.ToLower(scheme) {
	case "vapid":
		for p := range strings.SplitSeq(rest, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(p), "=")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "t":
				token = strings.TrimSpace(value)
			case "k":
				headerKey = strings.TrimSpace(value)
			}
		}
	case "webpush":
		token = strings.TrimSpace(rest)
		if p := pickHeaderParams(strings.Join(header.Values("Crypto-Key"), ","), "p256ecdsa", ""); p != nil {
			headerKey = p["p256ecdsa"]
		}
	case "":
		return nil, pushErr(ErrVAPID, "no Authorization header")
	default:
		return nil, pushErr(ErrVAPID, "Authorization scheme %q is not vapid or WebPush", truncateForError(scheme))
	}
	if token == "" {
		return nil, pushErr(ErrVAPID, "no token in the Authorization header")
	}
	if headerKey != "" {
		got, err := decodePushBase64(headerKey)
		if err != nil || !bytes.Equal(got, keyRaw) {
			return nil, pushErr(ErrVAPID, "request names a signing key other than the server's")
		}
	}

	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, pushErr(ErrVAPID, "token has %d parts, want 3", len(parts))
	}
	headJSON, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return nil, pushErr(ErrVAPID, "token header is not base64url")
	}
	var head struct {
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(headJSON, &head); err != nil {
		return nil, pushErr(ErrVAPID, "token header is not JSON")
	}
	if head.Alg != "ES256" {
		return nil, pushErr(ErrVAPID, "token algorithm %q, want ES256", truncateForError(head.Alg))
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return nil, pushErr(ErrVAPID, "token signature is not 64 bytes of base64url")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	r := new(big.Int).SetBytes(sig[:32])
	s := new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(pub, digest[:], r, s) {
		return nil, pushErr(ErrVAPID, "signature does not verify with the server's key")
	}

	claimsJSON, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, pushErr(ErrVAPID, "token claims are not base64url")
	}
	var claims struct {
		Aud string       `json:"aud"`
		Sub string       `json:"sub"`
		Exp *json.Number `json:"exp"`
	}
	if err := json.Unmarshal(claimsJSON, &claims); err != nil {
		return nil, pushErr(ErrVAPID, "token claims are not a JSON object with string aud and sub")
	}
	if claims.Exp == nil {
		return nil, pushErr(ErrVAPID, "token has no exp claim")
	}
	expSec, err := claims.Exp.Int64()
	if err != nil {
		f, ferr := claims.Exp.Float64()
		if ferr != nil {
			return nil, pushErr(ErrVAPID, "token exp is not a number")
		}
		expSec = int64(f)
	}
	exp := time.Unix(expSec, 0).UTC()
	now := time.Now()
	if o.Now != nil {
		now = o.Now()
	}
	if now.After(exp.Add(o.Leeway)) {
		return nil, pushErr(ErrVAPID, "token expired at %s", exp.Format(time.RFC3339))
	}
	if exp.After(now.Add(maxVAPIDLifetime + o.Leeway)) {
		return nil, pushErr(ErrVAPID, "token expiry %s is more than 24 hours ahead", exp.Format(time.RFC3339))
	}
	if o.Audience != "" && !sameOrigin(claims.Aud, o.Audience) {
		return nil, pushErr(ErrVAPID, "token audience %q is not %q", truncateForError(claims.Aud), truncateForError(o.Audience))
	}
	return &VAPIDClaims{
		Audience: claims.Aud,
		Subject:  claims.Sub,
		Expires:  exp,
		Key:      base64.RawURLEncoding.EncodeToString(keyRaw),
	}, nil
}

// sameOrigin compares two origins (or URLs, by their origin) ignoring case
// and default ports.
func sameOrigin(a, b string) bool {
	return originOf(a) != "" && originOf(a) == originOf(b)
}

func originOf(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	port := u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}
