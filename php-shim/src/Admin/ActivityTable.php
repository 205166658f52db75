<?php
/**
 * The activity log as a WordPress list table: Event (a sentence, its
 * details folded away), When and User columns; on a phone the last two fold
 * under the sentence, as in every WordPress list.
 *
 * Loaded only by ActivityPage::load(), after WordPress's
 * class-wp-list-table.php.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * One page of activity entries (rows of the activity_log table).
 */
final class ActivityTable extends \WP_List_Table {

	/**
	 * The filters of the view.
	 *
	 * @var array
	 */
	private $filters;

	/**
	 * Whether this is the network admin's view (every site's entries).
	 *
	 * @var bool
	 */
	private $network;

	/**
	 * The event types in the log, for the filter.
	 *
	 * @var string[]
	 */
	private $types = array();

	/**
	 * Constructor.
	 *
	 * @param array $filters ActivityPage::filters().
	 * @param bool  $network Whether this is the network admin's view.
	 */
	public function __construct( array $filters, bool $network ) {
		$this->filters = $filters;
		$this->network = $network;
		parent::__construct(
			array(
				'singular' => 'workos-activity-entry',
				'plural'   => 'workos-activity',
				'ajax'     => false,
			)
		);
	}

	/**
	 * The page of entries to show (ActivityPage runs the queries).
	 *
	 * @param array    $rows     Log rows.
	 * @param int      $total    How many match in all.
	 * @param int      $per_page Entries per page.
	 * @param string[] $types    Event types for the filter.
	 */
	public function set_rows( array $rows, int $total, int $per_page, array $types ): void {
		ActivityEvents::prime( $rows );
		$this->items = $rows;
		$this->types = $types;
		$this->set_pagination_args(
			array(
				'total_items' => $total,
				'per_page'    => $per_page,
				'total_pages' => (int) ceil( $total / max( 1, $per_page ) ),
			)
		);
		// Columns hidden under Screen Options stay hidden.
		$this->_column_headers = array( $this->get_columns(), get_hidden_columns( $this->screen ), array(), 'event' );
	}

	/**
	 * Nothing to prepare: see set_rows().
	 */
	public function prepare_items() {}

	/**
	 * The columns.
	 */
	public function get_columns() {
		// The primary column comes first: on a phone WordPress folds the
		// columns after it under its toggle.
		$columns = array(
			'event' => __( 'Event', 'workos' ),
			'when'  => __( 'When', 'workos' ),
			'user'  => __( 'User', 'workos' ),
		);
		if ( $this->network ) {
			$columns['site'] = __( 'Site', 'workos' );
		}
		return $columns;
	}

	/**
	 * The sentence is what a phone keeps; the rest folds under it.
	 */
	protected function get_primary_column_name() {
		return 'event';
	}

	/**
	 * No entries.
	 */
	public function no_items() {
		esc_html_e( 'No activity matches.', 'workos' );
	}

	/**
	 * The table's classes: WordPress's list look, fixed layout (columns
	 * keep their widths; long text wraps instead of widening the page).
	 */
	protected function get_table_classes() {
		return array( 'widefat', 'fixed', 'striped', 'table-view-list', 'workos-activity' );
	}

	/**
	 * A row, with its entry id.
	 *
	 * @param array $item Log row.
	 */
	public function single_row( $item ) {
		printf( '<tr data-id="%d">', (int) $item['id'] );
		$this->single_row_columns( $item );
		echo '</tr>';
	}

	/**
	 * When: the site's date and time, how long ago, and the exact UTC moment
	 * for machines.
	 *
	 * @param array $item Log row.
	 */
	protected function column_when( $item ) {
		$time = self::timestamp( $item );
		return sprintf(
			'<time datetime="%1$s" title="%2$s">%3$s</time><br /><span class="workos-activity-ago">%4$s</span>',
			esc_attr( gmdate( 'c', $time ) ),
			esc_attr( wp_date( 'Y-m-d H:i:s T', $time ) ),
			esc_html( wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $time ) ),
			esc_html( self::ago( $time ) )
		);
	}

	/**
	 * Event: the sentence, the event type (a link that filters by it) and
	 * the details, folded.
	 *
	 * @param array $item Log row.
	 */
	protected function column_event( $item ) {
		list( $template, $args ) = ActivityEvents::sentence( $item );
		foreach ( $args as $i => $arg ) {
			$args[ $i ] = ActivityEvents::SUBJECT === $arg ? $this->subject_html( $item ) : esc_html( (string) $arg );
		}
		$type = (string) $item['type'];
		$out  = '<div class="workos-activity-sentence">' . vsprintf( esc_html( $template ), $args ) . '</div>';
		$out .= sprintf(
			'<div class="workos-activity-meta"><a class="workos-activity-type" href="%1$s">%2$s</a><span class="workos-activity-when-short"> · %3$s</span></div>',
			esc_url( add_query_arg( array( 'type' => $type ), remove_query_arg( array( 'paged', 'type' ) ) ) ),
			esc_html( ActivityEvents::label( $type ) ),
			esc_html( self::ago( self::timestamp( $item ) ) )
		);
		return $out . $this->details_html( $item );
	}

	/**
	 * User: who the entry is about, linked to their profile.
	 *
	 * @param array $item Log row.
	 */
	protected function column_user( $item ) {
		$id   = (int) $item['user_id'];
		$user = $id > 0 ? get_userdata( $id ) : false;
		if ( ! $user ) {
			$name = ActivityEvents::subject_name( $item );
			return '' !== $name ? '<span class="workos-activity-nouser">' . esc_html( $name ) . '</span>' : '<span aria-hidden="true">—</span><span class="screen-reader-text">' . esc_html__( 'Nobody', 'workos' ) . '</span>';
		}
		return sprintf(
			'<div class="workos-activity-user">%1$s<span class="workos-activity-who">%2$s<br /><span class="workos-activity-login">%3$s</span></span></div>',
			get_avatar( $user->ID, 32, '', '', array( 'class' => 'workos-activity-avatar' ) ),
			$this->subject_html( $item ),
			esc_html( $user->user_email )
		);
	}

	/**
	 * Site (network admin): the site's name, linked to its dashboard.
	 *
	 * @param array $item Log row.
	 */
	protected function column_site( $item ) {
		$blog = (int) $item['blog_id'];
		$site = $blog ? get_site( $blog ) : null;
		if ( ! $site ) {
			return esc_html( (string) $blog );
		}
		return sprintf( '<a href="%1$s" class="workos-activity-site">%2$s</a>', esc_url( get_admin_url( $blog ) ), esc_html( $site->blogname ? $site->blogname : $site->domain . $site->path ) );
	}

	/**
	 * Filters above the table: event type, dates (the site's), site.
	 *
	 * @param string $which `top` or `bottom`.
	 */
	protected function extra_tablenav( $which ) {
		if ( 'top' !== $which ) {
			return;
		}
		$f      = $this->filters;
		$labels = array();
		foreach ( array_unique( array_merge( $this->types, '' !== $f['type'] ? array( $f['type'] ) : array() ) ) as $type ) {
			$labels[ $type ] = ActivityEvents::label( $type );
		}
		asort( $labels );
		echo '<div class="alignleft actions workos-activity-filters">';
		echo '<label class="screen-reader-text" for="workos-activity-type">' . esc_html__( 'Filter by event', 'workos' ) . '</label>';
		echo '<select name="type" id="workos-activity-type"><option value="">' . esc_html__( 'All events', 'workos' ) . '</option>';
		foreach ( $labels as $type => $label ) {
			printf( '<option value="%1$s"%2$s>%3$s</option>', esc_attr( $type ), selected( $f['type'], $type, false ), esc_html( $label ) );
		}
		echo '</select>';
		if ( $this->network ) {
			echo '<label class="screen-reader-text" for="workos-activity-site">' . esc_html__( 'Filter by site', 'workos' ) . '</label>';
			echo '<select name="site" id="workos-activity-site"><option value="0">' . esc_html__( 'All sites', 'workos' ) . '</option>';
			foreach ( get_sites( array( 'number' => 500 ) ) as $site ) {
				printf( '<option value="%1$d"%2$s>%3$s</option>', (int) $site->blog_id, selected( (int) $f['site'], (int) $site->blog_id, false ), esc_html( $site->blogname ? $site->blogname : $site->domain . $site->path ) );
			}
			echo '</select>';
		}
		printf(
			'<span class="workos-activity-dates"><label for="workos-activity-from">%1$s</label> <input type="date" id="workos-activity-from" name="from" value="%2$s" /> <label for="workos-activity-to">%3$s</label> <input type="date" id="workos-activity-to" name="to" value="%4$s" /></span>',
			esc_html__( 'From', 'workos' ),
			esc_attr( $f['from'] ),
			esc_html_x( 'to', 'date range', 'workos' ),
			esc_attr( $f['to'] )
		);
		submit_button( __( 'Filter', 'workos' ), '', 'filter_action', false, array( 'id' => 'workos-activity-filter' ) );
		if ( '' !== $f['type'] || '' !== $f['from'] || '' !== $f['to'] || '' !== $f['s'] || '' !== $f['user'] || ( $this->network && $f['site'] ) ) {
			printf( ' <a class="workos-activity-clear" href="%1$s">%2$s</a>', esc_url( remove_query_arg( array( 'type', 'from', 'to', 's', 'user', 'site', 'paged', 'filter_action' ) ) ), esc_html__( 'Clear filters', 'workos' ) );
		}
		echo '</div>';
	}

	/**
	 * The navigation above and below the table, without WordPress's bulk
	 * nonce: this view has no bulk actions, and a GET form would carry the
	 * nonce into every filtered URL.
	 *
	 * @param string $which `top` or `bottom`.
	 */
	protected function display_tablenav( $which ) {
		echo '<div class="tablenav ' . esc_attr( $which ) . '">';
		$this->extra_tablenav( $which );
		$this->pagination( $which );
		echo '<br class="clear" /></div>';
	}

	/**
	 * WordPress's pagination, counting "entries".
	 *
	 * @param string $which `top` or `bottom`.
	 */
	protected function pagination( $which ) {
		ob_start();
		parent::pagination( $which );
		$html  = (string) ob_get_clean();
		$total = (int) $this->get_pagination_arg( 'total_items' );
		/* translators: %s: number of entries. */
		$count = '<span class="displaying-num">' . esc_html( sprintf( _n( '%s entry', '%s entries', $total, 'workos' ), number_format_i18n( $total ) ) ) . '</span>';
		echo preg_replace( '#<span class="displaying-num">.*?</span>#s', $count, $html, 1 ); // phpcs:ignore WordPress.Security.EscapeOutput -- WordPress's own markup, and ours escaped above.
	}

	/**
	 * The person of an entry: their name linked to their profile when this
	 * administrator may open it, else plain text.
	 *
	 * @param array $item Log row.
	 */
	private function subject_html( array $item ): string {
		$name = ActivityEvents::subject_name( $item );
		if ( '' === $name ) {
			return esc_html__( 'an unknown user', 'workos' );
		}
		$id   = (int) $item['user_id'];
		$link = $id > 0 && get_userdata( $id ) ? get_edit_user_link( $id ) : '';
		return '' !== $link ? sprintf( '<a href="%1$s">%2$s</a>', esc_url( $link ), esc_html( $name ) ) : esc_html( $name );
	}

	/**
	 * The details of an entry, folded: IP address, browser, WorkOS id and
	 * the logged data.
	 *
	 * @param array $item Log row.
	 */
	private function details_html( array $item ): string {
		$rows = array(
			__( 'Event type', 'workos' ) => '<code>' . esc_html( (string) $item['type'] ) . '</code>',
		);
		if ( '' !== (string) $item['ip'] ) {
			$rows[ __( 'IP address', 'workos' ) ] = esc_html( (string) $item['ip'] );
		}
		if ( '' !== (string) $item['user_agent'] ) {
			$rows[ __( 'Browser', 'workos' ) ] = esc_html( (string) $item['user_agent'] );
		}
		if ( '' !== (string) $item['workos_id'] ) {
			$rows[ __( 'WorkOS ID', 'workos' ) ] = '<code>' . esc_html( (string) $item['workos_id'] ) . '</code>';
		}
		$meta = (string) $item['metadata'];
		if ( '' !== $meta && '[]' !== $meta && '{}' !== $meta ) {
			$rows[ __( 'Data', 'workos' ) ] = '<code class="workos-activity-data">' . esc_html( $meta ) . '</code>';
		}
		$out = '<details class="workos-activity-details"><summary>' . esc_html__( 'Details', 'workos' ) . '</summary><dl>';
		foreach ( $rows as $label => $value ) {
			$out .= '<dt>' . esc_html( $label ) . '</dt><dd>' . $value . '</dd>';
		}
		return $out . '</dl></details>';
	}

	/**
	 * The entry's moment (its created_at is UTC).
	 *
	 * @param array $item Log row.
	 */
	private static function timestamp( array $item ): int {
		$time = strtotime( (string) $item['created_at'] . ' UTC' );
		return false === $time ? 0 : $time;
	}

	/**
	 * "5 minutes ago".
	 *
	 * @param int $time Timestamp.
	 */
	private static function ago( int $time ): string {
		$now = time();
		return $time <= $now
			/* translators: %s: a time span, e.g. "5 minutes". */
			? sprintf( __( '%s ago', 'workos' ), human_time_diff( $time, $now ) )
			/* translators: %s: a time span, e.g. "5 minutes". */
			: sprintf( __( 'in %s', 'workos' ), human_time_diff( $now, $time ) );
	}
}
