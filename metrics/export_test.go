package metrics

// NewWithScrapeTimeout lets the tests shorten the scrape deadline.
var NewWithScrapeTimeout = newMetrics
