"""Sign-up sheets: slots with a capacity, a FIFO waitlist and timed offers of freed seats."""
