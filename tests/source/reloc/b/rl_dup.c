/* See a/rl_dup.c. */
int rl_dup_b(int *p)
{
	return *p;
}
