// Command entities generates the Mastodon entity types of package mastodon
// and their JSON codecs from the OpenAPI description and Mastodon.py's entity
// list (../shared/spec). Run it with go generate in the repository root.
//
// The spec files are read for facts only: field names, JSON types,
// nullability, enum values and the server version that added a field. Doc
// comments are written here, never copied from the spec.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Kinds of value a field can hold.
const (
	kString = "string"
	kNumID  = "numid" // an ID the server sends as a JSON number; kept as a Go string
	kInt    = "int"
	kFloat  = "float"
	kBool   = "bool"
	kTime   = "time"
	kRaw    = "raw"
	kEnum   = "enum"
	kStruct = "struct"
	kSlice  = "slice"
	kMap    = "map"
	kQuote  = "quote" // Status.quote: Quote or ShallowQuote
)

// Time formats: how a time field is written when it was not decoded from
// the wire (or was changed after decoding).
const (
	fmtDateTime = "datetime"
	fmtDate     = "date"
	fmtEpoch    = "epoch"  // seconds since the epoch, in a JSON string
	fmtOffset   = "offset" // date-time with a numeric UTC offset
)

type typeRef struct {
	Kind    string
	Name    string // enum or struct type name
	TimeFmt string
	Elem    *typeRef
}

type field struct {
	JSON       string
	Go         string
	T          *typeRef
	Nullable   bool
	Since      string
	Deprecated bool
}

type typ struct {
	Name    string
	Label   string // short human label used in the doc comment
	URL     string
	IsEnum  bool
	Values  []string
	Prefix  string // constant prefix for enum values
	IsSlice *typeRef
	Fields  []*field
	Embed   string
	Group   string
	Source  string
	MPName  string // Mastodon.py's name for it
	// SpecNames are the names the OpenAPI file gives the type where they
	// differ from Name; the tests' entity registry knows it by them too.
	SpecNames []string
}

type generator struct {
	mp      map[string]*mpEntity
	types   map[string]*typ
	order   []string
	renamed map[string]bool // the inlineRenames met
}

type mpEntity struct {
	Name        string              `json:"name"`
	PythonName  string              `json:"python_name"`
	DocLink     any                 `json:"masto_doc_link"`
	Fields      map[string]*mpField `json:"fields"`
	Deprecated  bool                `json:"is_deprecated"`
	fieldsOrder []string
}

type mpField struct {
	Type     string     `json:"field_type"`
	Subtype  *string    `json:"field_subtype"`
	Optional bool       `json:"is_optional"`
	Nullable bool       `json:"is_nullable"`
	History  [][]string `json:"version_history"`
	Enum     any        `json:"enum"`
}

func (f *mpField) since() string {
	for _, h := range f.History {
		if len(h) == 2 && strings.HasPrefix(h[1], "added") {
			return h[0]
		}
	}
	if len(f.History) > 0 && len(f.History[0]) > 0 {
		return f.History[0][0]
	}
	return ""
}

// mpNames maps our (OpenAPI) names to Mastodon.py's where they differ.
var mpNames = map[string]string{
	"Field":                                    "AccountField",
	"V1Filter":                                 "Filter",
	"Filter":                                   "FilterV2",
	"List":                                     "UserList",
	"MediaAttachmentMeta":                      "MediaAttachmentMetadataContainer",
	"Search":                                   "SearchV2",
	"V1Instance":                               "Instance",
	"V1InstanceConfiguration":                  "InstanceConfiguration",
	"V1InstanceURLs":                           "InstanceURLs",
	"V1InstanceStats":                          "InstanceStatistics",
	"Instance":                                 "InstanceV2",
	"InstanceConfiguration":                    "InstanceConfigurationV2",
	"InstanceConfigurationURLs":                "InstanceURLsV2",
	"InstanceConfigurationVapid":               "InstanceVapidKey",
	"InstanceConfigurationAccounts":            "InstanceAccountConfiguration",
	"InstanceConfigurationStatuses":            "InstanceStatusConfiguration",
	"InstanceConfigurationMediaAttachments":    "InstanceMediaConfiguration",
	"InstanceConfigurationPolls":               "InstancePollConfiguration",
	"InstanceConfigurationTranslation":         "InstanceTranslationConfiguration",
	"InstanceConfigurationTimelinesAccess":     "InstanceTimelinesAccessConfiguration",
	"V1InstanceConfigurationAccounts":          "InstanceAccountConfiguration",
	"V1InstanceConfigurationStatuses":          "InstanceStatusConfiguration",
	"V1InstanceConfigurationMediaAttachments":  "InstanceMediaConfiguration",
	"V1InstanceConfigurationPolls":             "InstancePollConfiguration",
	"AdminCohort":                              "AdminRetention",
	"CohortData":                               "AdminCohort",
	"DiscoverOauthServerConfigurationResponse": "OAuthServerInfo",
	"MediaAttachmentMetaFocus":                 "MediaAttachmentFocusPoint",
	"TrendsLinkHistory":                        "TrendingLinkHistory",
	"WebPushSubscriptionAlerts":                "WebPushSubscriptionAlerts",
	"Role":                                     "Role",
}

// mpOnly are Mastodon.py entities the OpenAPI file lacks, with the Go name
// they get here.
var mpOnly = map[string]string{
	"Nodeinfo":                                 "NodeInfo",
	"NodeinfoSoftware":                         "NodeInfoSoftware",
	"NodeinfoServices":                         "NodeInfoServices",
	"NodeinfoUsage":                            "NodeInfoUsage",
	"NodeinfoUsageUsers":                       "NodeInfoUsageUsers",
	"NodeinfoMetadata":                         "NodeInfoMetadata",
	"Activity":                                 "Activity",
	"PushNotification":                         "PushNotification",
	"StreamReaction":                           "StreamReaction",
	"AccountCreationError":                     "AccountCreationError",
	"AccountCreationErrorDetails":              "AccountCreationErrorDetails",
	"AccountCreationErrorDetailsField":         "AccountCreationErrorDetailsField",
	"UnreadNotificationsCount":                 "UnreadNotificationsCount",
	"SupportedLocale":                          "SupportedLocale",
	"OAuthUserInfo":                            "OAuthUserInfo",
	"MediaAttachmentColors":                    "MediaAttachmentColors",
	"MediaAttachmentImageMetadata":             "MediaAttachmentImageMetadata",
	"MediaAttachmentVideoMetadata":             "MediaAttachmentVideoMetadata",
	"MediaAttachmentAudioMetadata":             "MediaAttachmentAudioMetadata",
	"InstanceAnnualReportCampaign":             "InstanceAnnualReportCampaign",
	"InstanceTimelinesAccessFeedConfiguration": "InstanceTimelinesAccessFeed",
}

// embeds: the type on the left carries every field of the one on the right.
var embeds = map[string]string{
	"CredentialAccount":     "Account",
	"MutedAccount":          "Account",
	"TrendsLink":            "PreviewCard",
	"CredentialApplication": "Application",
	"AdminTag":              "Tag",
	"TextStatus":            "BaseStatus",
	"MediaStatus":           "BaseStatus",
	"PollStatus":            "BaseStatus",
}

// renames of inline object types (parent+field) to a clearer name.
var inlineRenames = map[string]string{
	"MediaAttachmentMetaFocus":  "MediaAttachmentFocusPoint",
	"TrendsLinkHistory":         "TagHistory",
	"ScheduledStatusParamsPoll": "ScheduledStatusPoll",
}

func load(path string, v any) {
	b, err := os.ReadFile(path)
	if err != nil {
		fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		fatal(fmt.Errorf("%s: %w", path, err))
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "genentities:", err)
	os.Exit(1)
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// initialisms is how Go spells the words below (as a whole word of a
// name, in any case): "ip" and "Ip" are written IP, "nodeinfo" NodeInfo.
// Every name the generator makes (types, fields, constants, accessors)
// goes through it, by spell.
var initialisms = map[string]string{
	"id": "ID", "ids": "IDs", "url": "URL", "urls": "URLs", "uri": "URI", "uris": "URIs", "html": "HTML",
	"api": "API", "ip": "IP", "ips": "IPs", "oauth": "OAuth", "json": "JSON", "http": "HTTP",
	"sso": "SSO", "utc": "UTC", "uuid": "UUID", "oembed": "OEmbed", "mime": "MIME", "vapid": "VAPID",
	"sha256": "SHA256", "fps": "FPS", "nodeinfo": "NodeInfo", "sse": "SSE",
}

// goName turns a JSON member name or enum value into an exported Go
// identifier: admin_ip_block, adminIpBlock and AdminIpBlock are all
// AdminIPBlock.
func goName(s string) string {
	if s == "@1x" {
		return "At1x"
	}
	if s == "@2x" {
		return "At2x"
	}
	var b strings.Builder
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || !isAlnum(s[i]) {
			if w := s[start:i]; w != "" {
				b.WriteString(strings.ToUpper(w[:1]) + w[1:])
			}
			start = i + 1
		}
	}
	out := spell(b.String())
	if out == "" || (out[0] >= '0' && out[0] <= '9') {
		out = "N" + out
	}
	return out
}

// spell rewrites the words of a camel-case name that initialisms lists:
// a word is an upper-case letter and the lower-case letters and digits
// after it, so AdminIpBlock is Admin, Ip, Block and becomes AdminIPBlock.
// Names spelled right already are left as they are.
func spell(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); {
		j := i + 1
		for j < len(name) && !isUpper(name[j]) {
			j++
		}
		w := name[i:j]
		if r, ok := initialisms[strings.ToLower(w)]; ok && isUpper(w[0]) && strings.ToLower(w[1:]) == w[1:] {
			w = r
		}
		b.WriteString(w)
		i = j
	}
	return b.String()
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
