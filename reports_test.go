package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func reportsReplay(cases *replayTable) {
	cases.add("POST /api/v1/reports", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Reports.Create(ctx, rform(it, "account_id"), &ReportParams{StatusIDs: rforms(it, "status_ids[]"),
			Comment: rform(it, "comment"), Forward: rbool(rform(it, "forward")), Category: ReportCategory(rform(it, "category")),
			RuleIDs: rforms(it, "rule_ids[]"), ForwardToDomains: rforms(it, "forward_to_domains[]"), CollectionIDs: rforms(it, "collection_ids[]")})
		return err
	})
}

const reportSampleJSON = `{"id":"48914","action_taken":false,"action_taken_at":null,"category":"violation","comment":"bad","forwarded":true,"created_at":"2022-08-25T09:56:16.763Z","status_ids":["108882889550545820"],"rule_ids":["3"],"target_account":{"id":"108366849347798387","username":"Baluke"}}`

func TestReportsCreate(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/reports", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		switch r.Method {
		case "POST":
			testForm(t, r, "account_id=108366849347798387&status_ids[]=108882889550545820&status_ids[]=2&collection_ids[]=c1&comment=bad&forward=true&forward_to_domains[]=a.example&category=violation&rule_ids[]=3")
			fmt.Fprint(w, reportSampleJSON)
		case "GET":
			fmt.Fprint(w, `[`+reportSampleJSON+`]`)
		}
	})
	ctx := context.Background()
	p := &ReportParams{StatusIDs: []string{"108882889550545820", "2"}, CollectionIDs: []string{"c1"}, Comment: "bad", Forward: Ptr(true),
		ForwardToDomains: []string{"a.example"}, Category: ReportCategoryViolation, RuleIDs: []string{"3"}}
	rep, err := c.Reports.Create(ctx, "108366849347798387", p)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ID != "48914" || rep.Category != ReportCategoryViolation || !rep.Forwarded || rep.TargetAccount.Username != "Baluke" || rep.ActionTakenAt != nil || len(rep.RuleIDs) != 1 {
		t.Errorf("decoded %+v", rep)
	}
	if reps, err := c.Reports.List(ctx); err != nil || len(reps) != 1 {
		t.Errorf("List: %v %v", reps, err)
	}
	if _, err := c.Reports.Create(ctx, "", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty account: %v", err)
	}
	if _, err := c.Reports.Create(ctx, "1", &ReportParams{Category: ReportCategorySpam, RuleIDs: []string{"1"}}); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("rules with spam: %v", err)
	}
}

func TestReportsMinimal(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/reports", func(w http.ResponseWriter, r *http.Request) {
		testForm(t, r, "account_id=1")
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprint(w, `{"error":"Validation failed"}`)
	})
	if _, err := c.Reports.Create(context.Background(), "1", nil); !errors.Is(err, ErrUnprocessable) {
		t.Errorf("422: %v", err)
	}
}
