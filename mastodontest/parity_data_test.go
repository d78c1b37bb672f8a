package mastodontest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

// On a plain clone there is no ../shared/corpus, so TestShapeParity replays
// testdata/parity instead: a copy of the current-version cassettes that this
// file derives from the corpus, keeping what the replay reads (the recorded
// requests; each response's status, Link header and the shape of its JSON
// body) and nothing else. In bodies, strings are emptied except the id-like
// values later requests refer to (and strings inside arrays, which the
// replay maps the same way); numbers, booleans, nulls and the nesting stay.
// Recorded tokens and client secrets are replaced by placeholders.
// Where ../shared exists, TestParityDataCurrent fails when the copy is stale;
// refresh it with
//
//	go test ./mastodontest -run TestParityDataCurrent -update-parity

var updateParity = flag.Bool("update-parity", false, "rewrite testdata/parity from ../shared/corpus")

const parityDataDir = "testdata/parity"

// parityCassettes returns the cassettes TestShapeParity replays: the
// corpus where it is present, otherwise the derived copy in testdata.
func parityCassettes(t *testing.T) []*corpus.Cassette {
	t.Helper()
	if corpus.Find() != "" {
		return corpus.Load(t)
	}
	cs, err := corpus.LoadDir(parityDataDir)
	if err != nil {
		t.Fatalf("../shared/corpus is absent and the derived copy cannot be read: %v", err)
	}
	t.Logf("../shared/corpus absent: replaying the %d cassettes derived into %s", len(cs), parityDataDir)
	return cs
}

func TestParityDataCurrent(t *testing.T) {
	dir := corpus.Dir(t)
	want, err := deriveParityData(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("no current-version cassettes in the corpus")
	}
	out := filepath.Join(parityDataDir, "cassettes")
	if *updateParity {
		if err := os.RemoveAll(out); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range want {
			if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	have, err := filepath.Glob(filepath.Join(out, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range have {
		if _, ok := want[filepath.Base(f)]; !ok {
			t.Errorf("%s: no such cassette in the corpus (run with -update-parity)", f)
		}
	}
	for name, b := range want {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s/%s is stale or missing (run this test with -update-parity)", out, name)
		}
	}
}

// deriveParityData returns the derived file of each current-version
// cassette of the corpus in dir, by file name.
func deriveParityData(dir string) (map[string][]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "cassettes", "*.json"))
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var c map[string]any
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if c["format"] != "mastodon-cassette-corpus/1" {
			continue
		}
		b, err := deriveCassette(c)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out[filepath.Base(f)] = b
	}
	return out, nil
}

func deriveCassette(c map[string]any) ([]byte, error) {
	its, _ := c["interactions"].([]any)
	secrets := map[string]string{}
	var outIts []any
	for _, x := range its {
		it, ok := x.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("interaction is %T", x)
		}
		req, _ := it["request"].(map[string]any)
		resp, _ := it["response"].(map[string]any)
		headers := map[string]any{}
		if h, ok := req["headers"].(map[string]any); ok {
			for _, k := range []string{"authorization", "idempotency-key", "accept"} {
				if v, ok := h[k]; ok {
					headers[k] = v
				}
			}
		}
		body, _ := req["body"].(map[string]any)
		reqBody := map[string]any{}
		for _, k := range []string{"kind", "form", "form_pairs", "json", "multipart"} {
			if v, ok := body[k]; ok {
				reqBody[k] = v
			}
		}
		rb, _ := resp["body"].(map[string]any)
		respBody := map[string]any{"kind": rb["kind"]}
		switch rb["kind"] {
		case "json":
			respBody["json"] = skeleton("", rb["json"], false, secrets)
		case "text":
			respBody["text"] = rb["text"]
		}
		outIts = append(outIts, map[string]any{
			"i": it["i"], "endpoint": it["endpoint"], "openapi": it["openapi"], "entity": it["entity"],
			"request": map[string]any{
				"method": req["method"], "path": req["path"], "query_pairs": req["query_pairs"],
				"headers": headers, "body": reqBody,
			},
			"response": map[string]any{"status": resp["status"], "link": resp["link"], "body": respBody},
		})
	}
	b, err := json.Marshal(map[string]any{
		"format": c["format"], "cassette": c["cassette"], "folder": c["folder"], "name": c["name"],
		"derived_from": "../shared/corpus (see mastodontest/parity_data_test.go)",
		"interactions": outIts,
	})
	if err != nil {
		return nil, err
	}
	// Secrets recorded in responses are replaced wherever they occur,
	// requests included, so that the replay still maps them.
	keys := make([]string, 0, len(secrets))
	for k := range secrets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b = bytes.ReplaceAll(b, []byte(k), []byte(secrets[k]))
	}
	return append(b, '\n'), nil
}

// skeleton keeps the shape of v and the values the replay maps.
func skeleton(key string, v any, inArray bool, secrets map[string]string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, vv := range x {
			out[k] = skeleton(k, vv, false, secrets)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, vv := range x {
			out[i] = skeleton(key, vv, true, secrets)
		}
		return out
	case string:
		switch {
		case key == "access_token" || key == "client_secret":
			if x == "" {
				return x
			}
			p, ok := secrets[x]
			if !ok {
				p = fmt.Sprintf("placeholder-%s-%d", strings.ReplaceAll(key, "_", "-"), len(secrets)+1)
				secrets[x] = p
			}
			return p
		case inArray || learnedKey(key):
			return x
		}
		return ""
	}
	return v
}
