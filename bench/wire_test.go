package bench

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/bytedance/sonic"
	goccy "github.com/goccy/go-json"
	gomastodon "github.com/mattn/go-mastodon"

	"github.com/tuskgo/mastodon"
)

// TestWireForms checks each server sends the page in the form it is named
// for, and that the raw floor, Tusk and go-mastodon all read 40 statuses
// from it.
func TestWireForms(t *testing.T) {
	p := Page()
	ctx := context.Background()
	for _, w := range Wires {
		srv := NewServer(p, w)
		// The transport's own gzip handling is off here, so what arrives
		// is what the server sent.
		tr := &http.Transport{DisableCompression: true}
		for _, gz := range []bool{false, true} {
			req, _ := http.NewRequest("GET", srv.URL+"/api/v1/timelines/home", nil)
			if gz {
				req.Header.Set("Accept-Encoding", "gzip")
			}
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			wantGzip := w == WireGzip && gz
			if got := resp.Header.Get("Content-Encoding") == "gzip"; got != wantGzip {
				t.Errorf("%s, gzip accepted %v: Content-Encoding %q", w, gz, resp.Header.Get("Content-Encoding"))
			}
			chunked := len(resp.TransferEncoding) == 1 && resp.TransferEncoding[0] == "chunked"
			if chunked != (w != WireLength) || (resp.ContentLength >= 0) == chunked {
				t.Errorf("%s: Transfer-Encoding %q, Content-Length %d", w, resp.TransferEncoding, resp.ContentLength)
			}
			if wantGzip && len(body) >= len(p)/4 {
				t.Errorf("%s: %d compressed bytes for a %d byte page", w, len(body), len(p))
			}
			if !wantGzip && string(body) != string(p) {
				t.Errorf("%s: body of %d bytes is not the page", w, len(body))
			}
		}
		tr.CloseIdleConnections()

		if err := Raw(&http.Client{}, srv.URL); err != nil {
			t.Errorf("%s: raw: %v", w, err)
		}
		tc, err := NewTusk(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := Tusk(ctx, tc); n != 40 || err != nil {
			t.Errorf("%s: tusk: %d statuses, %v", w, n, err)
		}
		if n, err := GoMastodon(ctx, NewGoMastodon(srv.URL)); n != 40 || err != nil {
			t.Errorf("%s: go-mastodon: %d statuses, %v", w, n, err)
		}
		srv.Close()
	}
}

// TestPageLossless checks Tusk decodes the generated page with nothing
// lost: encoding what it decoded gives the same JSON values.
func TestPageLossless(t *testing.T) {
	p := Page()
	var st []*mastodon.Status
	if err := mastodon.Unmarshal(p, &st); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var want, got any
	if err := json.Unmarshal(p, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(want, got) {
		w, g := want.([]any), got.([]any)
		for i := range w {
			if !reflect.DeepEqual(w[i], g[i]) {
				for k, v := range w[i].(map[string]any) {
					if !reflect.DeepEqual(v, g[i].(map[string]any)[k]) {
						t.Errorf("status %d member %q: sent %.200v, re-encoded %.200v", i, k, v, g[i].(map[string]any)[k])
					}
				}
			}
		}
		t.Fatal("round trip changed the page")
	}
}

// TestPeerDecoders checks the decoders Tusk is compared with read the page
// into go-mastodon's types completely and alike, so the comparison times
// the same work.
func TestPeerDecoders(t *testing.T) {
	p := Page()
	var tusk []*mastodon.Status
	if err := mastodon.Unmarshal(p, &tusk); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func([]byte) (int, error){
		"encoding/json": DecodeGoMastodon, "goccy/go-json": DecodeGoccy, "sonic": DecodeSonic,
	} {
		if n, err := f(p); n != 40 || err != nil {
			t.Errorf("%s: %d statuses, %v", name, n, err)
		}
	}
	dec := map[string]func([]byte, any) error{
		"encoding/json": json.Unmarshal, "goccy/go-json": goccy.Unmarshal, "sonic": sonic.Unmarshal,
	}
	for name, f := range dec {
		var v []*gomastodon.Status
		if err := f(p, &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i, s := range v {
			if string(s.ID) != tusk[i].ID || s.Content != tusk[i].Content || len(s.MediaAttachments) != len(tusk[i].MediaAttachments) ||
				string(s.Account.ID) != tusk[i].Account.ID || s.Account.Note != tusk[i].Account.Note {
				t.Errorf("%s: status %d decoded unlike Tusk's: id %s, %d media", name, i, s.ID, len(s.MediaAttachments))
			}
		}
	}
}
