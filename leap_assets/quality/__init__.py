"""The quality gate's inputs that the board and IT keep: the settings file and the academic calendar."""
