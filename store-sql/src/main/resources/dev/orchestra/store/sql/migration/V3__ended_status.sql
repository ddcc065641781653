-- How the run's latest session ended, as its run_finished event says: written in the transaction
-- that records that event, cleared by the one that records a run_started (a resume). Listings read
-- it, so they agree with the event stream at every moment; runs.status stays the status of the
-- run's result (written just after run_finished, kept while a resume runs).
ALTER TABLE runs ADD COLUMN ended_status VARCHAR(20);
UPDATE runs SET ended_status = status;
