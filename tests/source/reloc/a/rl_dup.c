/* Two files of one name: a frame naming a moved rl_dup.c is not mapped
 * onto either. */
int rl_dup_a(int *p)
{
	return *p;
}
