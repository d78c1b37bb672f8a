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
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tuskgo/mastodon"
)

// RFC 8291 Appendix A: the worked example, byte for byte.
const (
	rfcPlaintext = "When I grow up, I want to be a watermelon"
	rfcASPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
	rfcASPublic  = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
	rfcUAPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
	rfcUAPublic  = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
	rfcSalt      = "DGv6ra1nlYgDCS1FRnbzlw"
	rfcAuth      = "BTBZMqHH6r4Tts7J_aSIgg"
	rfcBody      = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
)

// A push a real Mastodon server sent in the legacy aesgcm coding, recorded
// with its receiver's keys by Mastodon.py's test suite (test_push.py). The
// private key is Mastodon.py's integer form; the access token inside was
// revoked before publication. Cross-checked by decrypting it independently
// with Python's cryptography primitives.
const (
	legacyPrivInt    = "86377660131518823691452242868806126400423244879788569019894692873283793307753"
	legacyPrivHex    = "bef805ea6b0d5f7997e9f57f475ee32dceda4488c2cea340d7cc599570f3c869"
	legacyAuthHex    = "e7790f70b992e0a0c5d57e5172d7aa16"
	legacyPublic     = "BCW4xbqE7bhsFifyukrYOcQvsVshcRzhRTZ4vEo_6Slbz3R1MLruhV3FPh_AagMWhF4FbkjNzZ4NfB2YcIewW_U"
	legacyEncryption = "salt=O14vjCdbxxhRUTkrsp98vw"
	legacyCryptoKey  = "dh=BKz_CMlF6kVURVImPDsz3bNbTv-9QTGtXpE4Fd3wQGF44fVTj32-APndoccYdjXY2U-mdTen1PDm_pHacpEmD0M;p256ecdsa=BDSAB3e_l5Qp4X50UYSSrKiZFZWDAgHlWIDhgBjXJuUzb0HrpqoCdFhMCh4o2xYHTqpvyTJ3SfFtrILLiXXWT5k"
	legacyBodyHex    = "105c623cdd69ac6486c84a31b67d35014b853bd2d4577a4eab0b7c3344e95f59506373479f68aefebb3a7a26c48e6b89dea2db46dcdd5b703c689e958dd4f0d0c1890901eb7556b1a44670e3bf916793be20e5d4eee2b04661428ad00062e45183d5d9839a1dd56adb22c5b0f557a7327234725d614c73a88c1a1968fe58295f74d470c9d2641b3f19c8582802d518e493e2da01b462e4d0460860133b3ec489bcc38eb89b4a7ec47d5ddbdcf177591667f8914eeefd921ecdd27ef20689cda5cd97b77bc5e1e4b09f37c68a35dabb6dcec58d9360260ea983a27c703ba48b29c8070d62216182f5459200597bd494f8f00db56386fbd02abba12114d511c8af49b36aca37c49ce09c3012c0d18a7bcdc47e5cc299f064290345913b6dbedb86efd7a73ed161f18321ae42aaf0da1b3b86d83b5d9ee3fa2a21072c09bde7fca7a8ba5bcf8965ac27db8867d95ce443084c62b6434154cc21a4ce9274331c3101"
	legacyToken      = "10beaae155479b6c8c74b1e75d698ceb3b2baeccdfe876c0126b5366a21a70e5"
)

func b64u(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("bad base64url %q: %v", s, err)
	}
	return b
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func rfcKeys(t testing.TB) *Keys {
	t.Helper()
	k, err := NewKeys(b64u(t, rfcUAPrivate), b64u(t, rfcAuth))
	if err != nil {
		t.Fatalf("NewKeys: %v", err)
	}
	return k
}

func legacyKeys(t testing.TB) *Keys {
	t.Helper()
	k, err := NewKeys(unhex(t, legacyPrivHex), unhex(t, legacyAuthHex))
	if err != nil {
		t.Fatalf("NewKeys: %v", err)
	}
	return k
}

// ---- a sender written independently of the decoder, for round trips ----

type testSender struct {
	priv *ecdh.PrivateKey
	salt []byte
}

func newTestSender(t testing.TB) testSender {
	t.Helper()
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	return testSender{priv: priv, salt: salt}
}

func testGCM(t testing.TB, key []byte) cipher.AEAD {
	t.Helper()
	b, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func testHKDF(t testing.TB, secret, salt []byte, info string, n int) []byte {
	t.Helper()
	out, err := hkdf.Key(sha256.New, secret, salt, info, n)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func xorSeq(base []byte, seq int) []byte {
	n := append([]byte(nil), base...)
	for i := 0; i < 8; i++ {
		n[11-i] ^= byte(uint64(seq) >> (8 * i))
	}
	return n
}

// records128 lays plaintext out in aes128gcm records of size rs: each
// non-final record is data + 0x01 filling rs-16 bytes, the final one data +
// 0x02 + pad zero bytes.
func records128(plain []byte, rs, pad int) [][]byte {
	per := rs - 16 - 1
	var recs [][]byte
	for len(plain) > per {
		r := append(append([]byte(nil), plain[:per]...), 1)
		recs = append(recs, r)
		plain = plain[per:]
	}
	last := append(append([]byte(nil), plain...), 2)
	last = append(last, make([]byte, pad)...)
	return append(recs, last)
}

// seal128 encrypts prepared record plaintexts for the receiver (uaPub, auth)
// in the aes128gcm coding.
func (s testSender) seal128(t testing.TB, uaPub, auth []byte, rs int, recs [][]byte) []byte {
	t.Helper()
	uaKey, err := ecdh.P256().NewPublicKey(uaPub)
	if err != nil {
		t.Fatal(err)
	}
	shared, err := s.priv.ECDH(uaKey)
	if err != nil {
		t.Fatal(err)
	}
	asPub := s.priv.PublicKey().Bytes()
	ikm := testHKDF(t, shared, auth, "WebPush: info\x00"+string(uaPub)+string(asPub), 32)
	cek := testHKDF(t, ikm, s.salt, "Content-Encoding: aes128gcm\x00", 16)
	nonce := testHKDF(t, ikm, s.salt, "Content-Encoding: nonce\x00", 12)
	g := testGCM(t, cek)
	out := append([]byte(nil), s.salt...)
	out = binary.BigEndian.AppendUint32(out, uint32(rs))
	out = append(out, byte(len(asPub)))
	out = append(out, asPub...)
	for i, r := range recs {
		out = g.Seal(out, xorSeq(nonce, i), r, nil)
	}
	return out
}

// recordsAESGCM lays plaintext out in aesgcm records of rs plaintext bytes,
// each starting with a two-byte padding length; pad zero bytes go in the
// first record. A final record of exactly rs bytes gets an empty record
// after it.
func recordsAESGCM(plain []byte, rs, pad int) [][]byte {
	var recs [][]byte
	first := true
	for {
		p := 0
		if first {
			p = pad
		}
		room := rs - 2 - p
		n := min(room, len(plain))
		r := binary.BigEndian.AppendUint16(nil, uint16(p))
		r = append(r, make([]byte, p)...)
		r = append(r, plain[:n]...)
		recs = append(recs, r)
		plain = plain[n:]
		first = false
		if len(plain) == 0 {
			if len(r) == rs {
				recs = append(recs, []byte{0, 0})
			}
			return recs
		}
	}
}

// sealAESGCM encrypts prepared records in the legacy aesgcm coding and
// returns the body with its Encryption and Crypto-Key header values.
func (s testSender) sealAESGCM(t testing.TB, uaPub, auth []byte, rs int, recs [][]byte) (body []byte, encryption, cryptoKey string) {
	t.Helper()
	uaKey, err := ecdh.P256().NewPublicKey(uaPub)
	if err != nil {
		t.Fatal(err)
	}
	shared, err := s.priv.ECDH(uaKey)
	if err != nil {
		t.Fatal(err)
	}
	asPub := s.priv.PublicKey().Bytes()
	ikm := testHKDF(t, shared, auth, "Content-Encoding: auth\x00", 32)
	ctx := "P-256\x00\x00\x41" + string(uaPub) + "\x00\x41" + string(asPub)
	cek := testHKDF(t, ikm, s.salt, "Content-Encoding: aesgcm\x00"+ctx, 16)
	nonce := testHKDF(t, ikm, s.salt, "Content-Encoding: nonce\x00"+ctx, 12)
	g := testGCM(t, cek)
	for i, r := range recs {
		body = g.Seal(body, xorSeq(nonce, i), r, nil)
	}
	enc := base64.RawURLEncoding
	encryption = "salt=" + enc.EncodeToString(s.salt)
	if rs != pushDefaultRS {
		encryption += ";rs=" + fmt.Sprint(rs)
	}
	return body, encryption, "dh=" + enc.EncodeToString(asPub)
}

// ---- the vectors ----

func TestPushRFC8291AppendixA(t *testing.T) {
	k := rfcKeys(t)
	if got := k.PublicKey(); got != rfcUAPublic {
		t.Fatalf("PublicKey = %s, want the RFC's ua_public %s", got, rfcUAPublic)
	}
	if got := k.AuthSecret(); got != rfcAuth {
		t.Fatalf("AuthSecret = %s, want %s", got, rfcAuth)
	}
	got, err := k.DecryptAES128GCM(b64u(t, rfcBody))
	if err != nil {
		t.Fatalf("DecryptAES128GCM: %v", err)
	}
	if string(got) != rfcPlaintext {
		t.Fatalf("plaintext = %q, want %q", got, rfcPlaintext)
	}
	// Through the header-driven entry point too.
	got, err = k.Decrypt(http.Header{"Content-Encoding": {"aes128gcm"}}, b64u(t, rfcBody))
	if err != nil || string(got) != rfcPlaintext {
		t.Fatalf("Decrypt = %q, %v", got, err)
	}
}

// The test sender, given the RFC's sender key and salt, must produce the
// RFC's exact body: this pins the sender used by the round-trip tests.
func TestPushTestSenderMatchesRFC8291(t *testing.T) {
	asPriv, err := ecdh.P256().NewPrivateKey(b64u(t, rfcASPrivate))
	if err != nil {
		t.Fatal(err)
	}
	if got := base64.RawURLEncoding.EncodeToString(asPriv.PublicKey().Bytes()); got != rfcASPublic {
		t.Fatalf("as_public = %s", got)
	}
	s := testSender{priv: asPriv, salt: b64u(t, rfcSalt)}
	body := s.seal128(t, b64u(t, rfcUAPublic), b64u(t, rfcAuth), 4096, records128([]byte(rfcPlaintext), 4096, 0))
	if got := base64.RawURLEncoding.EncodeToString(body); got != rfcBody {
		t.Fatalf("test sender body =\n%s\nwant\n%s", got, rfcBody)
	}
}

func TestPushLegacyAESGCMFromMastodon(t *testing.T) {
	priv, ok := new(big.Int).SetString(legacyPrivInt, 10)
	if !ok {
		t.Fatal("bad integer")
	}
	k, err := KeysFromInt(priv, unhex(t, legacyAuthHex))
	if err != nil {
		t.Fatalf("KeysFromInt: %v", err)
	}
	if !bytes.Equal(k.PrivateKeyBytes(), unhex(t, legacyPrivHex)) {
		t.Fatalf("PrivateKeyBytes = %x", k.PrivateKeyBytes())
	}
	if got := k.PublicKey(); got != legacyPublic {
		t.Fatalf("PublicKey = %s, want %s", got, legacyPublic)
	}
	h := http.Header{}
	h.Set("Content-Encoding", "aesgcm")
	h.Set("Encryption", legacyEncryption)
	h.Set("Crypto-Key", legacyCryptoKey)
	n, err := decryptNotification(k, h, unhex(t, legacyBodyHex))
	if err != nil {
		t.Fatalf("Decrypt: %v", err)
	}
	want := mastodon.PushNotification{
		AccessToken:      legacyToken,
		NotificationID:   "334290",
		NotificationType: "mention",
		PreferredLocale:  "en",
		Icon:             "https://icosahedron.website/system/accounts/avatars/000/057/229/original/70f81f368f447dff.png",
		Title:            "You were mentioned by fake halcy",
		Body:             "@halcy push test",
	}
	if n.AccessToken != want.AccessToken || n.NotificationID != want.NotificationID ||
		n.NotificationType != want.NotificationType || n.PreferredLocale != want.PreferredLocale ||
		n.Icon != want.Icon || n.Title != want.Title || n.Body != want.Body {
		t.Fatalf("Decrypt = %#v\nwant %#v", n, want)
	}
	if out, err := json.Marshal(n); err != nil || !bytes.Contains(out, []byte(`"notification_id":334290`)) {
		t.Errorf("re-encoded payload = %s, %v; want the numeric ID kept", out, err)
	}
	// Without Content-Encoding the Encryption header selects aesgcm.
	h.Del("Content-Encoding")
	if _, err := k.Decrypt(h, unhex(t, legacyBodyHex)); err != nil {
		t.Fatalf("Decrypt without Content-Encoding: %v", err)
	}
	// The same message read through the explicit call Mastodon.py users know.
	plain, err := k.DecryptAESGCM(unhex(t, legacyBodyHex), legacyEncryption, legacyCryptoKey)
	if err != nil || !bytes.HasPrefix(plain, []byte(`{"access_token":`)) {
		t.Fatalf("DecryptAESGCM = %q, %v", plain, err)
	}
}

func TestPushDecryptRequest(t *testing.T) {
	k := legacyKeys(t)
	r := httptest.NewRequest(http.MethodPost, "https://client.example/push", bytes.NewReader(unhex(t, legacyBodyHex)))
	r.Header.Set("Content-Encoding", "aesgcm")
	r.Header.Set("Encryption", legacyEncryption)
	r.Header.Set("Crypto-Key", legacyCryptoKey)
	plain, err := k.DecryptRequest(r)
	if err != nil {
		t.Fatalf("DecryptRequest: %v", err)
	}
	if n, err := mastodon.ParsePushNotification(plain); err != nil || n.Title != "You were mentioned by fake halcy" {
		t.Fatalf("DecryptRequest gave %q, which parses to %v, %v", plain, n, err)
	}

	big := httptest.NewRequest(http.MethodPost, "/push", bytes.NewReader(make([]byte, MaxMessageSize+10)))
	big.Header.Set("Content-Encoding", "aes128gcm")
	if _, err := k.DecryptRequest(big); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversized request: err = %v, want ErrTooLarge", err)
	}
}

// ---- round trips ----

func TestPushRoundTripAES128GCM(t *testing.T) {
	k, err := GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	payload := []byte(`{"access_token":"tok","notification_id":"109876543210","notification_type":"status","preferred_locale":"de","icon":"https://a.example/i.png","title":"T","body":"B","quote_id":"5"}`)
	long := bytes.Repeat([]byte("0123456789abcdef"), 300) // 4800 bytes: several records
	tests := []struct {
		name  string
		plain []byte
		rs    int
		pad   int
	}{
		{"one record", payload, 4096, 0},
		{"padding", payload, 4096, 100},
		{"minimum record size", []byte("hi"), 18, 0},
		{"many small records", long[:700], 18, 0},
		{"several records", long, 1000, 7},
		{"empty plaintext", nil, 4096, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSender(t)
			body := s.seal128(t, k.PublicKeyBytes(), k.AuthSecretBytes(), tt.rs, records128(tt.plain, tt.rs, tt.pad))
			got, err := k.DecryptAES128GCM(body)
			if err != nil {
				t.Fatalf("DecryptAES128GCM: %v", err)
			}
			if !bytes.Equal(got, tt.plain) {
				t.Fatalf("plaintext %d bytes, want %d", len(got), len(tt.plain))
			}
		})
	}
	s := newTestSender(t)
	body := s.seal128(t, k.PublicKeyBytes(), k.AuthSecretBytes(), 4096, records128(payload, 4096, 3))
	n, err := decryptNotification(k, http.Header{"Content-Encoding": {"aes128gcm"}}, body)
	if err != nil {
		t.Fatal(err)
	}
	if n.NotificationID != "109876543210" || n.NotificationType != "status" || n.Title != "T" || n.Body != "B" ||
		n.PreferredLocale != "de" || n.Icon != "https://a.example/i.png" || n.AccessToken != "tok" {
		t.Fatalf("Decrypt = %+v", *n)
	}
	// Fields Mastodon may add later are kept, and encoding gives them back.
	if raw, ok := n.UnknownField("quote_id"); !ok || string(raw) != `"5"` {
		t.Fatalf("UnknownField(quote_id) = %s, %v", raw, ok)
	}
	out, err := json.Marshal(n)
	if err != nil || !bytes.Contains(out, []byte(`"quote_id":"5"`)) || !bytes.Contains(out, []byte(`"notification_id":"109876543210"`)) {
		t.Fatalf("re-encoded payload = %s, %v", out, err)
	}
}

func TestPushRoundTripAESGCM(t *testing.T) {
	k, err := GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	long := bytes.Repeat([]byte("xyz"), 3000)
	tests := []struct {
		name  string
		plain []byte
		rs    int
		pad   int
	}{
		{"default record size", []byte(`{"title":"hello"}`), 4096, 0},
		{"padding", []byte(`{"title":"hello"}`), 4096, 33},
		{"several records", long, 1000, 5},
		{"exact record boundary", bytes.Repeat([]byte("a"), 98), 100, 0},
		{"tiny records", []byte("abcdef"), 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestSender(t)
			body, enc, ck := s.sealAESGCM(t, k.PublicKeyBytes(), k.AuthSecretBytes(), tt.rs, recordsAESGCM(tt.plain, tt.rs, tt.pad))
			got, err := k.DecryptAESGCM(body, enc, ck)
			if err != nil {
				t.Fatalf("DecryptAESGCM: %v", err)
			}
			if !bytes.Equal(got, tt.plain) {
				t.Fatalf("plaintext %q, want %q", got, tt.plain)
			}
		})
	}
}

func TestPushAESGCMHeaderForms(t *testing.T) {
	k := legacyKeys(t)
	body := unhex(t, legacyBodyHex)
	tests := []struct{ name, enc, ck string }{
		{"quoted with keyid", `keyid="p256dh";salt="O14vjCdbxxhRUTkrsp98vw"`, `keyid="p256dh";dh="BKz_CMlF6kVURVImPDsz3bNbTv-9QTGtXpE4Fd3wQGF44fVTj32-APndoccYdjXY2U-mdTen1PDm_pHacpEmD0M"`},
		{"several Crypto-Key entries", "salt=O14vjCdbxxhRUTkrsp98vw", "p256ecdsa=BDSAB3e_l5Qp4X50UYSSrKiZFZWDAgHlWIDhgBjXJuUzb0HrpqoCdFhMCh4o2xYHTqpvyTJ3SfFtrILLiXXWT5k, dh=BKz_CMlF6kVURVImPDsz3bNbTv-9QTGtXpE4Fd3wQGF44fVTj32-APndoccYdjXY2U-mdTen1PDm_pHacpEmD0M"},
		{"padded standard base64", "salt=O14vjCdbxxhRUTkrsp98vw==", "dh=BKz/CMlF6kVURVImPDsz3bNbTv+9QTGtXpE4Fd3wQGF44fVTj32+APndoccYdjXY2U+mdTen1PDm/pHacpEmD0M="},
		{"explicit default rs", "salt=O14vjCdbxxhRUTkrsp98vw; rs=4096", legacyCryptoKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := k.DecryptAESGCM(body, tt.enc, tt.ck)
			if err != nil || !bytes.Contains(got, []byte("fake halcy")) {
				t.Fatalf("DecryptAESGCM = %q, %v", got, err)
			}
		})
	}
}

// ---- bad input ----

func TestPushAES128GCMErrors(t *testing.T) {
	k := rfcKeys(t)
	other, err := GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	rfc := b64u(t, rfcBody)
	mutate := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), rfc...)) }
	s := newTestSender(t)
	seal := func(rs int, recs ...[]byte) []byte {
		return s.seal128(t, k.PublicKeyBytes(), k.AuthSecretBytes(), rs, recs)
	}
	tests := []struct {
		name string
		keys *Keys
		body []byte
		want error
		msg  string
	}{
		{"empty", k, nil, ErrMalformed, "truncated header"},
		{"short header", k, rfc[:20], ErrMalformed, "truncated header"},
		{"key id cut", k, rfc[:50], ErrMalformed, "key id"},
		{"header only", k, rfc[:86], ErrMalformed, "no records"},
		{"record size too small", k, mutate(func(b []byte) []byte { binary.BigEndian.PutUint32(b[16:], 17); return b }), ErrMalformed, "record size 17"},
		{"key id wrong length", k, mutate(func(b []byte) []byte { b[20] = 64; return b }), ErrKey, "64 bytes"},
		{"sender key off the curve", k, mutate(func(b []byte) []byte { b[30] ^= 1; return b }), ErrKey, "P-256 point"},
		{"ciphertext altered", k, mutate(func(b []byte) []byte { b[len(b)-1] ^= 1; return b }), ErrAuth, "record 0"},
		{"salt altered", k, mutate(func(b []byte) []byte { b[0] ^= 1; return b }), ErrAuth, ""},
		{"record truncated mid-way", k, rfc[:len(rfc)-5], ErrAuth, ""},
		{"record shorter than a tag", k, rfc[:86+10], ErrMalformed, "truncated to 10 bytes"},
		{"wrong receiver keys", other, rfc, ErrAuth, "wrong keys"},
		{"oversized", k, make([]byte, MaxMessageSize+1), ErrTooLarge, ""},
		{"no delimiter", k, seal(4096, []byte{0, 0, 0}), ErrMalformed, "without a delimiter"},
		{"record of only a tag", k, seal(4096, []byte{}), ErrMalformed, "truncated to 16 bytes"},
		{"bad delimiter", k, seal(4096, []byte{'a', 3, 0}), ErrMalformed, "delimiter 3"},
		{"final record marked non-final", k, seal(4096, []byte{'a', 1}), ErrMalformed, "truncated"},
		{"non-final record marked final", k, seal(18, []byte{'a', 2}, []byte{'b', 2}), ErrMalformed, "record 0: padding delimiter 2, want 1"},
		{"stream cut at a record boundary", k, seal(18, []byte{'a', 1}, []byte{'b', 1}), ErrMalformed, "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.keys.DecryptAES128GCM(tt.body)
			if err == nil {
				t.Fatalf("DecryptAES128GCM = %q, want error %v", got, tt.want)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want kind %v", err, tt.want)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("err %T is not *Error", err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %q, want it to mention %q", err, tt.msg)
			}
			assertNoSecrets(t, err.Error(), k, other)
		})
	}
}

func TestPushAESGCMErrors(t *testing.T) {
	k := legacyKeys(t)
	body := unhex(t, legacyBodyHex)
	s := newTestSender(t)
	seal := func(rs int, recs ...[]byte) ([]byte, string, string) {
		return s.sealAESGCM(t, k.PublicKeyBytes(), k.AuthSecretBytes(), rs, recs)
	}
	padTooLong, padEnc, padCK := seal(4096, []byte{0, 9, 0, 0})
	padDirty, dirtyEnc, dirtyCK := seal(4096, []byte{0, 2, 0, 7, 'x'})
	full, fullEnc, fullCK := seal(10, []byte{0, 0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'})
	tests := []struct {
		name          string
		body          []byte
		enc, cryptoKy string
		want          error
		msg           string
	}{
		{"no Encryption header", body, "", legacyCryptoKey, ErrMalformed, "no salt"},
		{"Encryption without salt", body, "rs=4096", legacyCryptoKey, ErrMalformed, "no salt"},
		{"salt not base64", body, "salt=!!!", legacyCryptoKey, ErrMalformed, "salt"},
		{"salt wrong length", body, "salt=AAAA", legacyCryptoKey, ErrMalformed, "salt"},
		{"rs not a number", body, legacyEncryption + ";rs=big", legacyCryptoKey, ErrMalformed, "record size"},
		{"rs too small", body, legacyEncryption + ";rs=1", legacyCryptoKey, ErrMalformed, "record size"},
		{"rs overflows", body, legacyEncryption + ";rs=99999999999", legacyCryptoKey, ErrMalformed, "record size"},
		{"no Crypto-Key", body, legacyEncryption, "", ErrMalformed, "no dh"},
		{"dh wrong length", body, legacyEncryption, "dh=AAAA", ErrKey, "dh"},
		{"dh off the curve", body, legacyEncryption, "dh=B" + strings.Repeat("A", 86), ErrKey, "P-256 point"},
		{"empty body", nil, legacyEncryption, legacyCryptoKey, ErrMalformed, "empty body"},
		{"body altered", append(append([]byte(nil), body[:len(body)-1]...), body[len(body)-1]^1), legacyEncryption, legacyCryptoKey, ErrAuth, ""},
		{"body truncated", body[:100], legacyEncryption, legacyCryptoKey, ErrAuth, ""},
		{"record shorter than a tag", body[:10], legacyEncryption, legacyCryptoKey, ErrMalformed, "truncated"},
		{"padding longer than record", padTooLong, padEnc, padCK, ErrMalformed, "padding length 9"},
		{"non-zero padding", padDirty, dirtyEnc, dirtyCK, ErrMalformed, "non-zero padding"},
		{"full-sized final record", full, fullEnc, fullCK, ErrMalformed, "truncated"},
		{"oversized", make([]byte, MaxMessageSize+1), legacyEncryption, legacyCryptoKey, ErrTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := k.DecryptAESGCM(tt.body, tt.enc, tt.cryptoKy)
			if err == nil {
				t.Fatalf("DecryptAESGCM = %q, want error %v", got, tt.want)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want kind %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %q, want it to mention %q", err, tt.msg)
			}
			assertNoSecrets(t, err.Error(), k)
		})
	}
}

// Crypto-Key split over two header lines (dh in one, p256ecdsa in the
// other) reads as one list.
func TestPushAESGCMHeaderLines(t *testing.T) {
	k := legacyKeys(t)
	dh, ecdsaKey, _ := strings.Cut(legacyCryptoKey, ";")
	h := http.Header{"Content-Encoding": {"aesgcm"}, "Encryption": {legacyEncryption}, "Crypto-Key": {ecdsaKey, dh}}
	if n, err := decryptNotification(k, h, unhex(t, legacyBodyHex)); err != nil || n.NotificationID != "334290" {
		t.Fatalf("Decrypt = %v, %v", n, err)
	}
}

func TestPushDecryptBytesUnknownEncoding(t *testing.T) {
	k := rfcKeys(t)
	_, err := k.Decrypt(http.Header{"Content-Encoding": {"gzip"}}, b64u(t, rfcBody))
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), `"gzip"`) {
		t.Fatalf("err = %v", err)
	}
}

// The RFC's plaintext is prose: it decrypts, and only the payload parser
// refuses it.
func TestPushDecryptNotJSON(t *testing.T) {
	k := rfcKeys(t)
	plain, err := k.Decrypt(http.Header{}, b64u(t, rfcBody))
	if err != nil || string(plain) != rfcPlaintext {
		t.Fatalf("Decrypt = %q, %v", plain, err)
	}
	if _, err := decryptNotification(k, http.Header{}, b64u(t, rfcBody)); !errors.Is(err, mastodon.ErrPushPayload) {
		t.Fatalf("err = %v, want mastodon.ErrPushPayload", err)
	}
}

// decryptNotification is what a receiver does with a push: decrypt it and
// decode Mastodon's payload.
func decryptNotification(k *Keys, h http.Header, body []byte) (*mastodon.PushNotification, error) {
	plain, err := k.Decrypt(h, body)
	if err != nil {
		return nil, err
	}
	return mastodon.ParsePushNotification(plain)
}

func TestPushNilKeys(t *testing.T) {
	var k *Keys
	if _, err := k.DecryptAES128GCM(b64u(t, rfcBody)); !errors.Is(err, ErrKey) {
		t.Fatalf("nil keys aes128gcm: %v", err)
	}
	if _, err := k.DecryptAESGCM(nil, legacyEncryption, legacyCryptoKey); !errors.Is(err, ErrKey) {
		t.Fatalf("nil keys aesgcm: %v", err)
	}
}

// ---- keys ----

func TestGeneratePushKeys(t *testing.T) {
	a, err := GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	b, err := GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	if a.PublicKey() == b.PublicKey() || a.AuthSecret() == b.AuthSecret() {
		t.Fatal("two generated key sets are equal")
	}
	pub := b64u(t, a.PublicKey())
	if len(pub) != 65 || pub[0] != 4 {
		t.Fatalf("public key is %d bytes starting %#x, want an uncompressed point", len(pub), pub[0])
	}
	if _, err := ecdh.P256().NewPublicKey(pub); err != nil {
		t.Fatalf("public key not on P-256: %v", err)
	}
	if len(b64u(t, a.AuthSecret())) != 16 {
		t.Fatal("auth secret is not 16 bytes")
	}
	if strings.ContainsAny(a.PublicKey()+a.AuthSecret(), "+/=") {
		t.Fatal("keys are not unpadded URL-safe base64")
	}
}

func TestPushKeysStorage(t *testing.T) {
	k, err := GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	text, err := k.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(text), "webpush-p256:") {
		t.Fatalf("MarshalText = %q", text)
	}
	back, err := ParseKeys(string(text))
	if err != nil {
		t.Fatal(err)
	}
	if back.PublicKey() != k.PublicKey() || back.AuthSecret() != k.AuthSecret() ||
		!bytes.Equal(back.PrivateKeyBytes(), k.PrivateKeyBytes()) {
		t.Fatal("keys changed across MarshalText/ParseKeys")
	}

	// As a value field, the keys still marshal as their text.
	type byValue struct {
		Keys Keys `json:"keys"`
	}
	vjs, err := json.Marshal(byValue{Keys: *k})
	if err != nil || !bytes.Contains(vjs, text) {
		t.Fatalf("value field marshals as %s, %v", vjs, err)
	}
	var bv byValue
	if err := json.Unmarshal(vjs, &bv); err != nil || bv.Keys.AuthSecret() != k.AuthSecret() {
		t.Fatalf("value field round trip: %v", err)
	}

	// As a JSON field, the way a program would keep them.
	type state struct {
		Endpoint string `json:"endpoint"`
		Keys     *Keys  `json:"keys"`
	}
	js, err := json.Marshal(state{Endpoint: "https://client.example/push", Keys: k})
	if err != nil {
		t.Fatal(err)
	}
	var st state
	if err := json.Unmarshal(js, &st); err != nil {
		t.Fatal(err)
	}
	if st.Keys.PublicKey() != k.PublicKey() || st.Keys.AuthSecret() != k.AuthSecret() {
		t.Fatal("keys changed across JSON")
	}
	// Decrypting with loaded keys works.
	s := newTestSender(t)
	body := s.seal128(t, k.PublicKeyBytes(), k.AuthSecretBytes(), 4096, records128([]byte("x"), 4096, 0))
	if got, err := st.Keys.DecryptAES128GCM(body); err != nil || string(got) != "x" {
		t.Fatalf("loaded keys decrypt = %q, %v", got, err)
	}

	for _, bad := range []string{
		"",
		"p256:abc:def",
		"webpush-p256:",
		"webpush-p256:" + base64.RawURLEncoding.EncodeToString(k.PrivateKeyBytes()),
		"webpush-p256:!!:" + k.AuthSecret(),
		"webpush-p256:" + base64.RawURLEncoding.EncodeToString(k.PrivateKeyBytes()) + ":AAAA",
		"webpush-p256:" + strings.Repeat("_", 43) + ":" + k.AuthSecret(), // scalar ≥ the curve order
	} {
		if _, err := ParseKeys(bad); !errors.Is(err, ErrKey) {
			t.Errorf("ParseKeys(%q) err = %v, want ErrKey", bad, err)
		}
	}
	var empty Keys
	if err := empty.UnmarshalText([]byte("nonsense")); !errors.Is(err, ErrKey) {
		t.Errorf("UnmarshalText(nonsense) = %v", err)
	}
	if _, err := (Keys{}).MarshalText(); !errors.Is(err, ErrKey) {
		t.Errorf("empty MarshalText = %v", err)
	}
}

func TestNewPushKeysErrors(t *testing.T) {
	if _, err := NewKeys(make([]byte, 31), make([]byte, 16)); !errors.Is(err, ErrKey) {
		t.Errorf("short private key: %v", err)
	}
	if _, err := NewKeys(make([]byte, 32), make([]byte, 16)); !errors.Is(err, ErrKey) {
		t.Errorf("zero private key: %v", err)
	}
	if _, err := NewKeys(b64u(t, rfcUAPrivate), make([]byte, 15)); !errors.Is(err, ErrKey) {
		t.Errorf("short auth: %v", err)
	}
	for _, v := range []*big.Int{nil, big.NewInt(0), big.NewInt(-5), new(big.Int).Lsh(big.NewInt(1), 256)} {
		if _, err := KeysFromInt(v, make([]byte, 16)); !errors.Is(err, ErrKey) {
			t.Errorf("KeysFromInt(%v) = %v", v, err)
		}
	}
}

// assertNoSecrets fails if s shows any key's private scalar or auth secret in
// any common encoding.
func assertNoSecrets(t *testing.T, s string, keys ...*Keys) {
	t.Helper()
	for _, k := range keys {
		if k == nil {
			continue
		}
		for _, secret := range [][]byte{k.PrivateKeyBytes(), k.AuthSecretBytes()} {
			for _, form := range []string{
				base64.RawURLEncoding.EncodeToString(secret),
				base64.StdEncoding.EncodeToString(secret),
				hex.EncodeToString(secret),
				fmt.Sprint(secret),
				fmt.Sprintf("%x", secret),
				strings.Trim(fmt.Sprint(secret), "[]"),
			} {
				if strings.Contains(s, form) {
					t.Fatalf("output reveals a secret: %q", s)
				}
			}
		}
	}
}

func TestPushKeysNeverPrintSecrets(t *testing.T) {
	k := rfcKeys(t)
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("keys", "k", k)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("keys", "k", k)
	outs := []string{logged.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		outs = append(outs, fmt.Sprintf(verb, k), fmt.Sprintf(verb, *k), fmt.Sprintf(verb, []*Keys{k}))
	}
	for _, out := range outs {
		assertNoSecrets(t, out, k)
	}
	if !strings.Contains(fmt.Sprint(k), rfcUAPublic) {
		t.Errorf("String() = %q, want the public key shown", k)
	}
}

// ---- payload ----

// ---- VAPID ----

type testVAPID struct {
	priv *ecdsa.PrivateKey
	pub  string
}

func newTestVAPID(t testing.TB) testVAPID {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := priv.PublicKey.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return testVAPID{priv: priv, pub: base64.RawURLEncoding.EncodeToString(raw)}
}

func (v testVAPID) token(t testing.TB, header, claims string) string {
	t.Helper()
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims))
	digest := sha256.Sum256([]byte(signing))
	r, s, err := ecdsa.Sign(rand.Reader, v.priv, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return signing + "." + enc.EncodeToString(sig)
}

func TestVerifyVAPID(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	v := newTestVAPID(t)
	other := newTestVAPID(t)
	const head = `{"typ":"JWT","alg":"ES256"}`
	claims := fmt.Sprintf(`{"aud":"https://push.example","exp":%d,"sub":"mailto:admin@mastodon.example"}`, now.Add(12*time.Hour).Unix())
	good := v.token(t, head, claims)

	standard := http.Header{"Authorization": {"vapid t=" + good + ",k=" + v.pub}}
	got, err := VerifyVAPID(standard, v.pub, &VAPIDOptions{Now: clock, Audience: "https://PUSH.example:443/"})
	if err != nil {
		t.Fatalf("standard scheme: %v", err)
	}
	if got.Audience != "https://push.example" || got.Subject != "mailto:admin@mastodon.example" ||
		!got.Expires.Equal(now.Add(12*time.Hour)) || got.Key != v.pub {
		t.Fatalf("claims = %+v", got)
	}

	legacy := http.Header{
		"Authorization": {"WebPush " + good},
		"Crypto-Key":    {"dh=BKz_CMlF6kVURVImPDsz3bNbTv-9QTGtXpE4Fd3wQGF44fVTj32-APndoccYdjXY2U-mdTen1PDm_pHacpEmD0M;p256ecdsa=" + v.pub},
	}
	if _, err := VerifyVAPID(legacy, v.pub, &VAPIDOptions{Now: clock}); err != nil {
		t.Fatalf("legacy scheme: %v", err)
	}
	// The server key as Mastodon's API may print it: padded, standard alphabet.
	padded := strings.NewReplacer("-", "+", "_", "/").Replace(v.pub) + "="
	if _, err := VerifyVAPID(standard, padded, &VAPIDOptions{Now: clock}); err != nil {
		t.Fatalf("padded server key: %v", err)
	}

	tampered := []byte(good)
	tampered[len(good)/2] ^= 2 // inside the claims
	sign := func(c string) string { return v.token(t, head, c) }
	tests := []struct {
		name   string
		header http.Header
		key    string
		opts   *VAPIDOptions
		want   error
		msg    string
	}{
		{"no Authorization", http.Header{}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, "no Authorization"},
		{"other scheme", http.Header{"Authorization": {"Bearer abc"}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, "Bearer"},
		{"no token", http.Header{"Authorization": {"vapid k=" + v.pub}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, "no token"},
		{"signed by another key", http.Header{"Authorization": {"vapid t=" + other.token(t, head, claims) + ",k=" + other.pub}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, "other than the server's"},
		{"another key, no k", http.Header{"Authorization": {"vapid t=" + other.token(t, head, claims)}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, "does not verify"},
		{"legacy header names another key", http.Header{"Authorization": {"WebPush " + good}, "Crypto-Key": {"p256ecdsa=" + other.pub}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, "other than the server's"},
		{"tampered claims", http.Header{"Authorization": {"WebPush " + string(tampered)}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, ""},
		{"two parts", http.Header{"Authorization": {"WebPush a.b"}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, "2 parts"},
		{"bad signature encoding", http.Header{"Authorization": {"WebPush " + good[:strings.LastIndex(good, ".")] + ".***"}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, "signature"},
		{"alg none", http.Header{"Authorization": {"WebPush " + v.token(t, `{"alg":"none"}`, claims)}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, `"none"`},
		{"header not JSON", http.Header{"Authorization": {"WebPush " + v.token(t, `nope`, claims)}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, "header is not JSON"},
		{"claims not JSON", http.Header{"Authorization": {"WebPush " + sign(`[]`)}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, "claims"},
		{"no exp", http.Header{"Authorization": {"WebPush " + sign(`{"aud":"https://push.example"}`)}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, "no exp"},
		{"exp not a number", http.Header{"Authorization": {"WebPush " + sign(`{"exp":"soon"}`)}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, "claims"},
		{"expired", standard, v.pub, &VAPIDOptions{Now: func() time.Time { return now.Add(13 * time.Hour) }}, ErrVAPID, "expired"},
		{"too far ahead", http.Header{"Authorization": {"WebPush " + sign(fmt.Sprintf(`{"exp":%d}`, now.Add(25*time.Hour).Unix()))}}, v.pub, &VAPIDOptions{Now: clock}, ErrVAPID, "24 hours"},
		{"other audience", standard, v.pub, &VAPIDOptions{Now: clock, Audience: "https://evil.example"}, ErrVAPID, "audience"},
		{"server key not base64", standard, "***", &VAPIDOptions{Now: clock}, ErrKey, "server VAPID key"},
		{"server key off the curve", standard, "B" + strings.Repeat("A", 86), &VAPIDOptions{Now: clock}, ErrKey, "P-256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := VerifyVAPID(tt.header, tt.key, tt.opts)
			if err == nil {
				t.Fatalf("VerifyVAPID = %+v, want error", c)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want kind %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %q, want it to mention %q", err, tt.msg)
			}
		})
	}

	// Leeway forgives a small clock difference.
	if _, err := VerifyVAPID(standard, v.pub, &VAPIDOptions{Now: func() time.Time { return now.Add(12*time.Hour + 30*time.Second) }, Leeway: time.Minute}); err != nil {
		t.Fatalf("within leeway: %v", err)
	}
}

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://push.example", "https://push.example/some/path", true},
		{"https://push.example:443", "HTTPS://Push.Example", true},
		{"http://push.example:80", "http://push.example", true},
		{"https://push.example:8443", "https://push.example", false},
		{"https://[::1]:8443", "https://[::1]:8443/x", true},
		{"https://a.example", "https://b.example", false},
		{"", "", false},
		{"push.example", "push.example", false},
	}
	for _, tt := range tests {
		if got := sameOrigin(tt.a, tt.b); got != tt.want {
			t.Errorf("sameOrigin(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// ---- fuzzing ----

func FuzzDecryptAES128GCM(f *testing.F) {
	rfc, _ := base64.RawURLEncoding.DecodeString(rfcBody)
	f.Add(rfc)
	f.Add(rfc[:21])
	f.Add(rfc[:86])
	f.Add([]byte{})
	k, err := NewKeys(mustB64(rfcUAPrivate), mustB64(rfcAuth))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		orig := bytes.Clone(body)
		plain, err := k.DecryptAES128GCM(body)
		if !bytes.Equal(body, orig) {
			t.Fatal("input modified")
		}
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			if plain != nil {
				t.Fatal("plaintext returned with an error")
			}
		}
	})
}

// FuzzDecryptAES128GCMRecords encrypts record plaintexts the fuzzer chose
// (delimiters and padding right or wrong) and checks the decryption against
// RFC 8188's rules spelled out: each record's last non-zero byte is its
// delimiter, 1 for every record but the last, 2 for the last.
func FuzzDecryptAES128GCMRecords(f *testing.F) {
	f.Add([]byte("hello\x02"), uint8(0))
	f.Add([]byte("ab\x01\x00cd\x02\x00\x00"), uint8(1))
	f.Add([]byte("\x00\x00\x02\x00"), uint8(200))
	f.Add([]byte("x\x01"), uint8(3))
	f.Add([]byte{}, uint8(0))
	k, err := GenerateKeys()
	if err != nil {
		f.Fatal(err)
	}
	s := newTestSender(f)
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		// Records of rs-16 plaintext bytes; the last one takes the rest.
		rs := 18 + int(size)
		var recs [][]byte
		for len(data) > rs-16 {
			recs = append(recs, data[:rs-16])
			data = data[rs-16:]
		}
		recs = append(recs, data)
		var want []byte
		wantOK := true
		for i, r := range recs {
			end := bytes.LastIndexFunc(r, func(c rune) bool { return c != 0 })
			delim := byte(1)
			if i == len(recs)-1 {
				delim = 2
			}
			if end < 0 || r[end] != delim {
				wantOK = false
				break
			}
			want = append(want, r[:end]...)
		}
		got, err := k.DecryptAES128GCM(s.seal128(t, k.PublicKeyBytes(), k.AuthSecretBytes(), rs, recs))
		if (err == nil) != wantOK || err == nil && !bytes.Equal(got, want) {
			t.Fatalf("records %q, rs %d: got %q, %v; want %q, ok %v", recs, rs, got, err, want, wantOK)
		}
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("records %q: error %v is not ErrMalformed", recs, err)
		}
	})
}

func FuzzDecryptAESGCM(f *testing.F) {
	body, _ := hex.DecodeString(legacyBodyHex)
	f.Add(body, legacyEncryption, legacyCryptoKey)
	f.Add(body[:30], `keyid="a";salt="O14vjCdbxxhRUTkrsp98vw";rs=20`, `keyid="a";dh=x, dh=y`)
	f.Add([]byte{}, "", "")
	priv, _ := hex.DecodeString(legacyPrivHex)
	auth, _ := hex.DecodeString(legacyAuthHex)
	k, err := NewKeys(priv, auth)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, enc, ck string) {
		_, err := k.DecryptAESGCM(body, enc, ck)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
		}
	})
}

// FuzzPushRoundTrip checks that whatever the sender's plaintext, record size
// and padding, both codings decrypt to the plaintext.
func FuzzPushRoundTrip(f *testing.F) {
	f.Add([]byte(`{"title":"hi"}`), uint16(4096), uint8(0))
	f.Add([]byte{}, uint16(18), uint8(3))
	f.Add(bytes.Repeat([]byte{0}, 300), uint16(40), uint8(255))
	k, err := GenerateKeys()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, plain []byte, rs uint16, pad uint8) {
		if len(plain) > 2000 {
			plain = plain[:2000]
		}
		r := max(int(rs)%4096, 18) + int(pad)
		s := newTestSender(t)
		body := s.seal128(t, k.PublicKeyBytes(), k.AuthSecretBytes(), r, records128(plain, r, 0))
		got, err := k.DecryptAES128GCM(body)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("aes128gcm rs=%d: got %d bytes, err %v", r, len(got), err)
		}
		body, enc, ck := s.sealAESGCM(t, k.PublicKeyBytes(), k.AuthSecretBytes(), r, recordsAESGCM(plain, r, int(pad)%(r-2)))
		got, err = k.DecryptAESGCM(body, enc, ck)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("aesgcm rs=%d: got %d bytes, err %v", r, len(got), err)
		}
	})
}

func FuzzVerifyVAPID(f *testing.F) {
	f.Add("vapid t=a.b.c, k=BDSAB3e_l5Qp4X50UYSSrKiZFZWDAgHlWIDhgBjXJuUzb0HrpqoCdFhMCh4o2xYHTqpvyTJ3SfFtrILLiXXWT5k", "")
	f.Add("WebPush eyJhbGciOiJFUzI1NiJ9.e30.AAAA", "p256ecdsa=x")
	f.Fuzz(func(t *testing.T, auth, cryptoKey string) {
		h := http.Header{"Authorization": {auth}, "Crypto-Key": {cryptoKey}}
		c, err := VerifyVAPID(h, "BDSAB3e_l5Qp4X50UYSSrKiZFZWDAgHlWIDhgBjXJuUzb0HrpqoCdFhMCh4o2xYHTqpvyTJ3SfFtrILLiXXWT5k", nil)
		if err == nil {
			t.Fatalf("forged token accepted: %+v", c)
		}
	})
}

func mustB64(s string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func BenchmarkDecryptAES128GCM(b *testing.B) {
	k := rfcKeys(b)
	body := b64u(b, rfcBody)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.DecryptAES128GCM(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecryptMastodonAESGCM(b *testing.B) {
	k := legacyKeys(b)
	body := unhex(b, legacyBodyHex)
	h := http.Header{"Content-Encoding": {"aesgcm"}, "Encryption": {legacyEncryption}, "Crypto-Key": {legacyCryptoKey}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Decrypt(h, body); err != nil {
			b.Fatal(err)
		}
	}
}

type failingBody struct{ msg string }

func (e failingBody) Read([]byte) (int, error) { return 0, errors.New(e.msg) }

// A body that cannot be read is ErrMalformed, with the reader's error kept.
func TestPushDecryptRequestReadError(t *testing.T) {
	k := rfcKeys(t)
	r := httptest.NewRequest(http.MethodPost, "/push", io.MultiReader(strings.NewReader("x"), failingBody{"connection reset"}))
	_, err := k.DecryptRequest(r)
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "reading body: connection reset") {
		t.Fatalf("err = %v, want ErrMalformed about reading the body", err)
	}
	r.Body = nil
	if _, err := k.DecryptRequest(r); !errors.Is(err, ErrMalformed) {
		t.Fatalf("nil body: err = %v, want ErrMalformed", err)
	}
}
