"""Reference data and the mappers over it: the major catalogue, CSCO occupations, universities, the leading
industries, and how a mapping is evaluated. Every other context may read it; it reads none of them."""
