-- What views of a run take from its workflow (RunPlanJson: nodes in order, containers), written
-- once when the run is created so that showing it does not parse the workflow again. NULL for runs
-- created before plans were recorded: their readers parse workflow_text instead.
ALTER TABLE runs ADD COLUMN run_plan TEXT;
