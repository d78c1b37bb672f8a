package mastodon

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

// FuzzRestDecoders serves arbitrary 200 bodies to the methods of this
// area that unwrap or reshape what the server sends. None may panic, and
// each must either succeed or report a decode error.
func FuzzRestDecoders(f *testing.F) {
	for _, s := range []string{
		`{"collections":[{"id":"1","name":"x","items":[{"id":"2","state":"accepted"}]}],"accounts":[]}`,
		`[{"id":"1"}]`,
		`{"collection":{"id":"5","tag":{"name":"birds"}}}`,
		`{"collection":null}`,
		`{"collection_item":{"id":"12","account_id":"7","state":"pending"}}`,
		`{"annual_reports":[{"year":2025,"data":{"archetype":"lurker"}}],"accounts":[],"statuses":[]}`,
		`{"async_refresh":{"id":"a","status":"running","result_count":1}}`,
		`{"state":"available"}`,
		`{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"/nodeinfo/2.0"}]}`,
		`{"en":["de"]}`, `["a.example"]`, `null`, `{`, `<html>`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		mux := http.NewServeMux()
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(body))
		})
		c := memClient(t, mux)
		ctx := context.Background()
		calls := map[string]func() error{
			"Accounts.Collections": func() error { _, err := c.Accounts.Collections(ctx, "1", nil); return err },
			"Collections.Get":      func() error { _, err := c.Collections.Get(ctx, "1"); return err },
			"Collections.Update":   func() error { _, err := c.Collections.Update(ctx, "1", nil); return err },
			"Collections.AddItem":  func() error { _, err := c.Collections.AddItem(ctx, "1", "2"); return err },
			"AnnualReports.List":   func() error { _, err := c.AnnualReports.List(ctx); return err },
			"AnnualReports.State":  func() error { _, err := c.AnnualReports.State(ctx, 2025); return err },
			"AsyncRefreshes.Get":   func() error { _, err := c.AsyncRefreshes.Get(ctx, "a"); return err },
			"Instance.NodeInfo":    func() error { _, err := c.Instance.NodeInfo(ctx); return err },
			"Instance.Peers":       func() error { _, err := c.Instance.Peers(ctx); return err },
			"Instance.TranslationLanguages": func() error {
				_, err := c.Instance.TranslationLanguages(ctx)
				return err
			},
		}
		for name, call := range calls {
			// NodeInfo may refuse a link that leads elsewhere.
			if err := call(); err != nil && !errors.Is(err, ErrDecode) && !errors.Is(err, ErrIllegalArgument) {
				t.Errorf("%s: err = %v, want nil or a decode error", name, err)
			}
		}
	})
}
