/* Never terminates: a busy loop the compiler must keep (for instruction/cycle limit tests). */
#include <stdint.h>

int main(void)
{
    volatile uint64_t counter = 0;

    for (;;) {
        counter = counter + 1;
    }
}
