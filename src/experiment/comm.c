/* SPDX-License-Identifier: MIT
 *
 * comm.c - the processes of a distributed experiment, through MPI when the
 * program is built with it (HS_HAVE_MPI, meson option `mpi`), otherwise a
 * world of one process.
 *
 * Only the coordinating thread of each process calls MPI (the worker
 * threads only simulate), so MPI_THREAD_FUNNELED is enough.  The protocol
 * is small: rank 0 broadcasts each round's task list, every rank runs its
 * share on its own threads, the other ranks send each finished record's
 * bytes to rank 0 as soon as it is done, and rank 0, which alone touches
 * the output directory, journals and gathers them.  A program built with
 * MPI and started without a launcher behaves exactly like the threaded
 * program: it does not even start MPI (which costs a tenth of a second
 * and would be a world of one), unless HAILSHAM_MPI=1 asks for it.  Were
 * a launcher missed, each copy would be a world of one and the journal's
 * lock would let only one of them run, all the work, in the directory.
 */
#include "experiment.h"

#include <stdlib.h>

#include <string.h>

#ifdef HS_HAVE_MPI
#include <mpi.h>

/* Was this process started by an MPI launcher?  Each sets some of these:
 * MPICH's hydra and PMI-2 launchers (srun --mpi=pmi2) the PMI_ ones,
 * PMIx (Open MPI 4 and 5, srun --mpi=pmix) the PMIX_ ones, Open MPI's
 * mpirun OMPI_COMM_WORLD_SIZE.  HAILSHAM_MPI=1 or 0 decides instead. */
static int launched(void)
{
    static const char *const vars[] = {"PMI_RANK", "PMI_SIZE", "PMI_FD", "PMI_PORT",
                                       "PMIX_RANK", "PMIX_NAMESPACE",
                                       "OMPI_COMM_WORLD_SIZE", "MPI_LOCALNRANKS"};
    const char *force = getenv("HAILSHAM_MPI");
    if (force && (strcmp(force, "0") == 0 || strcmp(force, "1") == 0))
        return force[0] == '1';
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

/* The message tag of a record. */
#define TAG_RECORD 17

const char *hs_exp_mpi_name(void)
{
#if defined(MPICH_VERSION)
    return "MPICH " MPICH_VERSION;
#elif defined(OPEN_MPI)
    return "Open MPI";
#else
    return "MPI";
#endif
}

int hs_exp_comm_init(struct hs_exp_comm *c)
{
    int provided = 0;
    c->rank = 0;
    c->size = 1;
    c->local = 1;
    c->mpi = 0;
    c->exit_of = NULL;
    if (!launched())
        return HS_OK;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return HS_EIO;
    c->mpi = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &c->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &c->size);
    /* processes sharing this machine share its cores */
    MPI_Comm node;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, c->rank, MPI_INFO_NULL,
                            &node) == MPI_SUCCESS) {
        MPI_Comm_size(node, &c->local);
        MPI_Comm_free(&node);
    }
    return provided >= MPI_THREAD_FUNNELED ? HS_OK : HS_ESTATE;
}

void hs_exp_comm_finalize(struct hs_exp_comm *c)
{
    if (c->mpi)
        MPI_Finalize();
    c->mpi = 0;
}

void hs_exp_comm_abort(const struct hs_exp_comm *c, int status)
{
    if (c->mpi && c->size > 1)
        MPI_Abort(MPI_COMM_WORLD, c->exit_of ? c->exit_of(status) : 70);
}

int hs_exp_comm_agree(const struct hs_exp_comm *c, int status)
{
    int all = status;
    if (!c->mpi || c->size == 1)
        return status;
    /* statuses are 0 or negative: the least is a failure if any failed */
    if (MPI_Allreduce(&status, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD) != MPI_SUCCESS)
        return HS_EIO;
    return all;
}

int hs_exp_comm_bcast(const struct hs_exp_comm *c, uint64_t *v, size_t n)
{
    if (!c->mpi || c->size == 1 || n == 0)
        return HS_OK;
    /* in pieces: MPI counts are ints */
    for (size_t i = 0; i < n; i += 1u << 24) {
        int k = (int)(n - i < (1u << 24) ? n - i : (1u << 24));
        if (MPI_Bcast(v + i, k, MPI_UINT64_T, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
            return HS_EIO;
    }
    return HS_OK;
}

int hs_exp_comm_send(const struct hs_exp_comm *c, const char *buf, size_t len)
{
    (void)c;
    if (len > (size_t)INT32_MAX)
        return HS_ERANGE;
    return MPI_Send(buf, (int)len, MPI_CHAR, 0, TAG_RECORD, MPI_COMM_WORLD) == MPI_SUCCESS
               ? HS_OK : HS_EIO;
}

int hs_exp_comm_poll(const struct hs_exp_comm *c, char **buf, size_t *len)
{
    int flag = 0, count = 0;
    MPI_Status st;
    if (!c->mpi || c->size == 1)
        return 0;
    if (MPI_Iprobe(MPI_ANY_SOURCE, TAG_RECORD, MPI_COMM_WORLD, &flag, &st) != MPI_SUCCESS)
        return HS_EIO;
    if (!flag)
        return 0;
    MPI_Get_count(&st, MPI_CHAR, &count);
    char *b = malloc((size_t)count + 1);
    if (!b)
        return HS_ENOMEM;
    if (MPI_Recv(b, count, MPI_CHAR, st.MPI_SOURCE, TAG_RECORD, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE) != MPI_SUCCESS) {
        free(b);
        return HS_EIO;
    }
    b[count] = '\0';
    *buf = b;
    *len = (size_t)count;
    return 1;
}

#else /* without MPI: one process */

const char *hs_exp_mpi_name(void)
{
    return NULL;
}

int hs_exp_comm_init(struct hs_exp_comm *c)
{
    c->rank = 0;
    c->size = 1;
    c->local = 1;
    c->mpi = 0;
    c->exit_of = NULL;
    return HS_OK;
}

void hs_exp_comm_finalize(struct hs_exp_comm *c)
{
    c->mpi = 0;
}

void hs_exp_comm_abort(const struct hs_exp_comm *c, int status)
{
    (void)c;
    (void)status;
}

int hs_exp_comm_agree(const struct hs_exp_comm *c, int status)
{
    (void)c;
    return status;
}

int hs_exp_comm_bcast(const struct hs_exp_comm *c, uint64_t *v, size_t n)
{
    (void)c;
    (void)v;
    (void)n;
    return HS_OK;
}

int hs_exp_comm_send(const struct hs_exp_comm *c, const char *buf, size_t len)
{
    (void)c;
    (void)buf;
    (void)len;
    return HS_ESTATE;   /* never called in a world of one */
}

int hs_exp_comm_poll(const struct hs_exp_comm *c, char **buf, size_t *len)
{
    (void)c;
    (void)buf;
    (void)len;
    return 0;
}

#endif
