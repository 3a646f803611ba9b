"""The talent office: certification against the criteria, policy benefits, decisions and rewards, the priority-major
list and the talent catalogue, reports and feedback."""
