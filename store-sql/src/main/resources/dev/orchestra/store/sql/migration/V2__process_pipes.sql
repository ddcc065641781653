-- The pipes a process group's output went to (pipe:[INODE] names, space-separated), so a resumed
-- run finds daemons that left the group but still hold its output. NULL for groups without pipes.
ALTER TABLE processes ADD COLUMN pipes VARCHAR(1000);
