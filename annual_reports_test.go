package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
)

const annualReportsJSON = `{"annual_reports":[{"year":2025,"data":{"archetype":"lurker","percentiles":{"statuses":0.5},"top_hashtags":[]},"schema_version":2,"share_url":null}],` +
	`"accounts":[{"id":"1","username":"a","acct":"a"}],"statuses":[{"id":"5","content":"<p>top</p>","account":{"id":"1","username":"a","acct":"a"}}]}`

func TestAnnualReportsListAndGet(t *testing.T) {
	c, mux, _ := setup(t)
	handler := func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		fmt.Fprint(w, annualReportsJSON)
	}
	mux.HandleFunc("/api/v1/annual_reports", handler)
	mux.HandleFunc("/api/v1/annual_reports/2025", handler)
	ctx := context.Background()
	for name, f := range map[string]func() (*AnnualReports, error){
		"List": func() (*AnnualReports, error) { return c.AnnualReports.List(ctx) },
		"Get":  func() (*AnnualReports, error) { return c.AnnualReports.Get(ctx, 2025) },
	} {
		r, err := f()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(r.AnnualReports) != 1 || r.AnnualReports[0].Year != 2025 || r.AnnualReports[0].Data == nil ||
			r.AnnualReports[0].Data.Archetype != "lurker" || r.AnnualReports[0].SchemaVersion == nil || *r.AnnualReports[0].SchemaVersion != 2 ||
			len(r.Accounts) != 1 || r.Accounts[0].ID != "1" || len(r.Statuses) != 1 || r.Statuses[0].Content != "<p>top</p>" {
			t.Errorf("%s decoded %+v", name, r)
		}
	}
	for _, y := range []int{0, -1, 10000} {
		if _, err := c.AnnualReports.Get(ctx, y); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("year %d: err = %v", y, err)
		}
	}
	testErrorKinds(t, "/api/v1/annual_reports", func(c *Client, _ string) error { _, err := c.AnnualReports.List(context.Background()); return err })
}

func TestAnnualReportsState(t *testing.T) {
	c, mux, _ := setup(t)
	state := "generating"
	mux.HandleFunc("/api/v1/annual_reports/2025/state", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "")
		if state == "generating" {
			w.Header().Set("Mastodon-Async-Refresh", `id="wrap", retry=2`)
		}
		if state == "bad" {
			fmt.Fprint(w, `"available"`)
			return
		}
		fmt.Fprintf(w, `{"state":%q}`, state)
	})
	ctx := context.Background()
	var resp Response
	st, err := c.AnnualReports.State(ctx, 2025, CallResponse(&resp))
	if err != nil || st != AnnualReportGenerating {
		t.Fatalf("%q, %v", st, err)
	}
	if resp.AsyncRefresh == nil || resp.AsyncRefresh.ID != "wrap" {
		t.Errorf("refresh header %+v", resp.AsyncRefresh)
	}
	for _, s := range []AnnualReportState{AnnualReportAvailable, AnnualReportEligible, AnnualReportIneligible, "someday"} {
		state = string(s)
		if got, err := c.AnnualReports.State(ctx, 2025); err != nil || got != s {
			t.Errorf("%s: %q, %v", s, got, err)
		}
	}
	state = "bad"
	if _, err := c.AnnualReports.State(ctx, 2025); !errors.Is(err, ErrDecode) {
		t.Errorf("bare string: err = %v, want ErrDecode", err)
	}
	if _, err := c.AnnualReports.State(ctx, 0); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("year 0: err = %v", err)
	}
}

func TestAnnualReportsGenerateAndRead(t *testing.T) {
	c, mux, _ := setup(t)
	refresh := true
	mux.HandleFunc("/api/v1/annual_reports/2025/generate", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testQuery(t, r, "")
		testEmptyBody(t, r)
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		if refresh {
			w.Header().Set("Mastodon-Async-Refresh", `id="wrapstodon", retry=2, result_count=0`)
		}
		w.WriteHeader(http.StatusAccepted)
	})
	mux.HandleFunc("/api/v1/annual_reports/2025/read", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testEmptyBody(t, r)
		fmt.Fprint(w, `{}`)
	})
	ctx := context.Background()
	var resp Response
	h, err := c.AnnualReports.Generate(ctx, 2025, CallResponse(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if h == nil || h.ID != "wrapstodon" || h.Retry.Seconds() != 2 {
		t.Errorf("refresh %+v", h)
	}
	if resp.StatusCode != http.StatusAccepted {
		t.Errorf("caller's response not filled: %+v", resp)
	}
	refresh = false
	if h, err := c.AnnualReports.Generate(ctx, 2025); err != nil || h != nil {
		t.Errorf("no refresh: %+v, %v", h, err)
	}
	if err := c.AnnualReports.Read(ctx, 2025); err != nil {
		t.Fatal(err)
	}
	if err := c.AnnualReports.Read(ctx, -5); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("bad year: err = %v", err)
	}
	if _, err := c.AnnualReports.Generate(ctx, 0); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("bad year: err = %v", err)
	}
	testErrorKinds(t, "/api/v1/annual_reports/2024/read", func(c *Client, _ string) error { return c.AnnualReports.Read(context.Background(), 2024) })
}
