package mastodon

// service is the common base of every API area: a handle on the client.
type service struct{ c *Client }

// AccountsService groups the Accounts API methods.
type AccountsService service

// AnnouncementsService groups the Announcements API methods.
type AnnouncementsService service

// AnnualReportsService groups the AnnualReports API methods.
type AnnualReportsService service

// AppsService groups the Apps API methods.
type AppsService service

// AsyncRefreshesService groups the AsyncRefreshes API methods.
type AsyncRefreshesService service

// BlocksService groups the Blocks API methods.
type BlocksService service

// BookmarksService groups the Bookmarks API methods.
type BookmarksService service

// CollectionsService groups the Collections API methods.
type CollectionsService service

// ConversationsService groups the Conversations API methods.
type ConversationsService service

// CustomEmojisService groups the CustomEmojis API methods.
type CustomEmojisService service

// DirectoryService groups the Directory API methods.
type DirectoryService service

// DomainBlocksService groups the DomainBlocks API methods.
type DomainBlocksService service

// EmailsService groups the Emails API methods.
type EmailsService service

// EndorsementsService groups the Endorsements API methods.
type EndorsementsService service

// FavouritesService groups the Favourites API methods.
type FavouritesService service

// FeaturedTagsService groups the FeaturedTags API methods.
type FeaturedTagsService service

// FiltersService groups the Filters API methods.
type FiltersService service

// FollowRequestsService groups the FollowRequests API methods.
type FollowRequestsService service

// FollowedTagsService groups the FollowedTags API methods.
type FollowedTagsService service

// InstanceService groups the Instance API methods.
type InstanceService service

// ListsService groups the Lists API methods.
type ListsService service

// MarkersService groups the Markers API methods.
type MarkersService service

// MediaService groups the Media API methods.
type MediaService service

// MutesService groups the Mutes API methods.
type MutesService service

// NotificationsService groups the Notifications API methods.
type NotificationsService service

// OAuthService groups the OAuth API methods.
type OAuthService service

// PollsService groups the Polls API methods.
type PollsService service

// PreferencesService groups the Preferences API methods.
type PreferencesService service

// ProfileService groups the Profile API methods.
type ProfileService service

// PushService groups the Push API methods.
type PushService service

// ReportsService groups the Reports API methods.
type ReportsService service

// ScheduledStatusesService groups the ScheduledStatuses API methods.
type ScheduledStatusesService service

// SearchService groups the Search API methods.
type SearchService service

// StatusesService groups the Statuses API methods.
type StatusesService service

// StreamingService groups the Streaming API methods.
type StreamingService service

// SuggestionsService groups the Suggestions API methods.
type SuggestionsService service

// TagsService groups the Tags API methods.
type TagsService service

// TimelinesService groups the Timelines API methods.
type TimelinesService service

// TrendsService groups the Trends API methods.
type TrendsService service

// AdminService groups the moderation and administration API, by area.
type AdminService struct {
	Accounts             *AdminAccountsService
	Reports              *AdminReportsService
	Trends               *AdminTrendsService
	Tags                 *AdminTagsService
	DomainBlocks         *AdminDomainBlocksService
	DomainAllows         *AdminDomainAllowsService
	EmailDomainBlocks    *AdminEmailDomainBlocksService
	CanonicalEmailBlocks *AdminCanonicalEmailBlocksService
	IPBlocks             *AdminIPBlocksService
	Measures             *AdminMeasuresService
	Dimensions           *AdminDimensionsService
	Retention            *AdminRetentionService
}

// AdminAccountsService groups the admin Accounts API methods.
type AdminAccountsService service

// AdminReportsService groups the admin Reports API methods.
type AdminReportsService service

// AdminTrendsService groups the admin Trends API methods.
type AdminTrendsService service

// AdminTagsService groups the admin Tags API methods.
type AdminTagsService service

// AdminDomainBlocksService groups the admin DomainBlocks API methods.
type AdminDomainBlocksService service

// AdminDomainAllowsService groups the admin DomainAllows API methods.
type AdminDomainAllowsService service

// AdminEmailDomainBlocksService groups the admin EmailDomainBlocks API methods.
type AdminEmailDomainBlocksService service

// AdminCanonicalEmailBlocksService groups the admin CanonicalEmailBlocks API methods.
type AdminCanonicalEmailBlocksService service

// AdminIPBlocksService groups the admin IPBlocks API methods.
type AdminIPBlocksService service

// AdminMeasuresService groups the admin Measures API methods.
type AdminMeasuresService service

// AdminDimensionsService groups the admin Dimensions API methods.
type AdminDimensionsService service

// AdminRetentionService groups the admin Retention API methods.
type AdminRetentionService service

func (c *Client) initServices() {
	b := service{c: c}
	c.Accounts = (*AccountsService)(&b)
	c.Announcements = (*AnnouncementsService)(&b)
	c.AnnualReports = (*AnnualReportsService)(&b)
	c.Apps = (*AppsService)(&b)
	c.AsyncRefreshes = (*AsyncRefreshesService)(&b)
	c.Blocks = (*BlocksService)(&b)
	c.Bookmarks = (*BookmarksService)(&b)
	c.Collections = (*CollectionsService)(&b)
	c.Conversations = (*ConversationsService)(&b)
	c.CustomEmojis = (*CustomEmojisService)(&b)
	c.Directory = (*DirectoryService)(&b)
	c.DomainBlocks = (*DomainBlocksService)(&b)
	c.Emails = (*EmailsService)(&b)
	c.Endorsements = (*EndorsementsService)(&b)
	c.Favourites = (*FavouritesService)(&b)
	c.FeaturedTags = (*FeaturedTagsService)(&b)
	c.Filters = (*FiltersService)(&b)
	c.FollowRequests = (*FollowRequestsService)(&b)
	c.FollowedTags = (*FollowedTagsService)(&b)
	c.Instance = (*InstanceService)(&b)
	c.Lists = (*ListsService)(&b)
	c.Markers = (*MarkersService)(&b)
	c.Media = (*MediaService)(&b)
	c.Mutes = (*MutesService)(&b)
	c.Notifications = (*NotificationsService)(&b)
	c.OAuth = (*OAuthService)(&b)
	c.Polls = (*PollsService)(&b)
	c.Preferences = (*PreferencesService)(&b)
	c.Profile = (*ProfileService)(&b)
	c.Push = (*PushService)(&b)
	c.Reports = (*ReportsService)(&b)
	c.ScheduledStatuses = (*ScheduledStatusesService)(&b)
	c.Search = (*SearchService)(&b)
	c.Statuses = (*StatusesService)(&b)
	c.Streaming = (*StreamingService)(&b)
	c.Suggestions = (*SuggestionsService)(&b)
	c.Tags = (*TagsService)(&b)
	c.Timelines = (*TimelinesService)(&b)
	c.Trends = (*TrendsService)(&b)
	c.Admin = &AdminService{
		Accounts:             (*AdminAccountsService)(&b),
		Reports:              (*AdminReportsService)(&b),
		Trends:               (*AdminTrendsService)(&b),
		Tags:                 (*AdminTagsService)(&b),
		DomainBlocks:         (*AdminDomainBlocksService)(&b),
		DomainAllows:         (*AdminDomainAllowsService)(&b),
		EmailDomainBlocks:    (*AdminEmailDomainBlocksService)(&b),
		CanonicalEmailBlocks: (*AdminCanonicalEmailBlocksService)(&b),
		IPBlocks:             (*AdminIPBlocksService)(&b),
		Measures:             (*AdminMeasuresService)(&b),
		Dimensions:           (*AdminDimensionsService)(&b),
		Retention:            (*AdminRetentionService)(&b),
	}
}
