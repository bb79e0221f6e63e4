//! Creating an order the safe way: history row first, then the request, then the outcome.
//! Shared by the desk and `paydesk create`.
