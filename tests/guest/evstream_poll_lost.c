/* evstream_poll.c without the event stream: the lost wake-up, reported by
 * a64sim as a deadlock (see evstream_poll.c). */
#define EVENT_STREAM 0
#include "evstream_poll.c"
