-- Where a page's picture comes from, once it is not simply "the document's
-- own original at page_index". Merging moves pages into another document
-- and splitting moves them into a new one; both renumber pages. A page read
-- from its file (raw_key NULL) must keep pointing at the file and page it
-- was taken from, or re-reading it would decode another picture.
--
-- source_key/source_index: the object and the 0-based page in it; both
-- NULL for a page still at its own document's original and index.
ALTER TABLE document_pages ADD COLUMN source_key text;
ALTER TABLE document_pages ADD COLUMN source_index integer
    CONSTRAINT document_pages_source_index_nonnegative CHECK (source_index IS NULL OR source_index >= 0);

-- A document split off another links to it ('split_from', from the new
-- document to the one it came from).
ALTER TABLE document_links DROP CONSTRAINT document_links_kind_known,
    ADD CONSTRAINT document_links_kind_known CHECK (kind IN ('same_document', 'continuation', 'duplicate', 'split_from'));
